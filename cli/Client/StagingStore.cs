using ModelRunner.Cli.Configuration;
using ModelRunner.Distribution;

namespace ModelRunner.Cli.Client;

/// <summary>
/// A private model store where <c>package</c> builds an artifact before it goes to the server (as a tar) or to a
/// registry (pushed from here, with this user's credentials). Under <see cref="CliHome"/>, so it is on the same disk
/// as the user's models rather than a small /tmp; deleted on dispose.
/// </summary>
internal sealed class StagingStore : IDisposable
{
    private readonly string _folder;

    private StagingStore(string folder)
    {
        _folder = folder;
        var options = ModelDistributionOptions.FromEnvironment();
        options.StorePath = folder;
        Distribution = ModelDistribution.Create(options);
    }

    public IModelDistribution Distribution { get; }

    public static StagingStore Create() => new(Path.Combine(CliHome.Path, "staging", Guid.NewGuid().ToString("N")));

    public void Dispose()
    {
        Distribution.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
