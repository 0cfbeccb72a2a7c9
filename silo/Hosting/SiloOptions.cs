namespace ModelRunner.Silo.Hosting;

/// <summary>
/// Settings of the silo, bound with <c>services.AddSilo(options =&gt; …)</c> and validated when
/// the host starts (a bad value fails the start with a message naming the setting).
/// </summary>
public sealed class SiloOptions
{
    /// <summary>The environment variable that sets the default <see cref="DataDirectory"/>.</summary>
    public const string HomeVariable = "MODEL_RUNNER_HOME";

    /// <summary>The SQLite file of grain state, inside <see cref="DataDirectory"/>.</summary>
    public const string StorageFileName = "state.db";

    /// <summary>
    /// Where the node keeps its data, created if missing. Default: <c>$MODEL_RUNNER_HOME</c> when
    /// set, else <c>~/.modelrunner</c> (read when the options are created).
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>
    /// Idle time before an activation is collected, for grain types registered without
    /// <c>GrainTypeOptions.KeepAlive</c> (default 15 minutes, Orleans' collection age). ≥ 0, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> for never.
    /// </summary>
    public TimeSpan DefaultKeepAlive { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector looks for idle activations (default 1 s; more than 0, at most 1 s).</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this the token given to <c>OnDeactivateAsync</c> is cancelled (default 1 minute;
    /// more than 0). The silo still waits for it to return.
    /// </summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The full path of the grain-state database.</summary>
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
