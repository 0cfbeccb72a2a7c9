namespace ModelRunner.Silo.Hosting;

/// <summary>Where and how this node runs its silo.</summary>
public sealed class NodeOptions
{
    /// <summary>The environment variable that sets the default <see cref="DataDirectory"/>.</summary>
    public const string HomeVariable = "MODEL_RUNNER_HOME";

    /// <summary>The SQLite file of grain state on a single node, inside <see cref="DataDirectory"/>.</summary>
    public const string StorageFileName = "state.db";

    /// <summary>
    /// Where the node keeps its data (grain state, saved KV state), created if missing. Default:
    /// <c>$MODEL_RUNNER_HOME</c> when set, else <c>~/.modelrunner</c>.
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>
    /// The port silos talk to each other on; null picks a free loopback port on a single node
    /// (nothing else needs to reach it) and <see cref="DefaultClusterSiloPort"/> in a cluster.
    /// </summary>
    public int? SiloPort { get; set; }

    /// <summary>The silo port of a cluster node unless set (<c>MODEL_RUNNER_SILO_PORT</c>).</summary>
    public const int DefaultClusterSiloPort = 11111;

    /// <summary>
    /// An Npgsql connection string: set, the node joins the cluster whose membership and grain
    /// state live in that PostgreSQL database (<c>serve --cluster</c>, <c>MODEL_RUNNER_CLUSTER</c>);
    /// null, it runs alone on SQLite.
    /// </summary>
    public string? ClusterConnectionString { get; set; }

    /// <summary>The address other nodes reach this one at (<c>--advertise</c>); null lets Orleans pick the host's.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>This node's HTTP API, as its peers reach it (to fetch models from its store); its silo name in the cluster.</summary>
    public Uri? HttpUrl { get; set; }

    public bool IsCluster => !string.IsNullOrWhiteSpace(ClusterConnectionString);

    /// <summary>The full path of the single node's grain-state database.</summary>
    public string StoragePath => Path.Combine(DataDirectory, StorageFileName);

    /// <summary><c>$MODEL_RUNNER_HOME</c> if set and not empty, else <c>~/.modelrunner</c>; always a full path.</summary>
    public static string DefaultDataDirectory()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(home)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".modelrunner")
            : home);
    }
}
