using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace ModelRunner.Silo.Tests.Support;

/// <summary>
/// One SQLite-backed test cluster shared by a test class: the default storage on one temporary
/// file, and <see cref="ArchiveStorageName"/> on another. Tests use keys of their own.
/// </summary>
public sealed class SqliteClusterFixture : IAsyncLifetime
{
    public const string ArchiveStorageName = "archive";

    private InProcessTestCluster? _cluster;

    public TempDatabase Database { get; } = new();

    public TempDatabase ArchiveDatabase { get; } = new();

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider();

    /// <summary>The default grain storage, as grains get it.</summary>
    public IGrainStorage Storage => SiloServices.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    public async Task InitializeAsync() =>
        _cluster = await SqliteTestCluster.StartAsync(
            Database.Path,
            silo => silo.AddSqliteGrainStorage(ArchiveStorageName, options => options.DatabasePath = ArchiveDatabase.Path));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Database.Dispose();
        ArchiveDatabase.Dispose();
    }
}
