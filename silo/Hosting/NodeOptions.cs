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
    /// The port silos talk to each other on; null (the default on a single node) picks a free
    /// loopback port, since nothing else needs to reach it.
    /// </summary>
    public int? SiloPort { get; set; }

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
