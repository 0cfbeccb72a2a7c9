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

    /// <summary>A fresh staging store; ones a killed <c>package</c> left behind more than a day ago go first.</summary>
    public static StagingStore Create()
    {
        var parent = new DirectoryInfo(Path.Combine(CliHome.Path, "staging"));
        if (parent.Exists)
        {
            foreach (var stale in parent.EnumerateDirectories().Where(folder => DateTime.UtcNow - folder.LastWriteTimeUtc > TimeSpan.FromDays(1)))
            {
                try
                {
                    stale.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // Another package may be using it after all; it goes next time.
                }
            }
        }

        return new(Path.Combine(parent.FullName, Guid.NewGuid().ToString("N")));
    }

    public void Dispose()
    {
        Distribution.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
