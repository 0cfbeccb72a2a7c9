using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;
using ModelRunner.Silo.Hosting;
using Orleans.TestingHost;

namespace ModelRunner.Grains.Tests.Support;

/// <summary>
/// A real one-silo Orleans cluster (<see cref="InProcessTestCluster"/>) running ModelRunner's
/// grains over the shared store, with its data (SQLite grain state, saved KV state) in a
/// folder that a later cluster can reopen. Tests call grains through the cluster's client, so
/// every argument, result and exception crosses Orleans' serializers.
/// </summary>
internal sealed class GrainsHost : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private bool _stopped;

    private GrainsHost(InProcessTestCluster cluster, string dataDirectory)
    {
        _cluster = cluster;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public IGrainFactory Grains => _cluster.Client;

    public IServiceProvider Silo => _cluster.GetSiloServiceProvider();

    public LoadedModels Loaded => Silo.GetRequiredService<LoadedModels>();

    public ModelSettingsStore Settings => Silo.GetRequiredService<ModelSettingsStore>();

    public ModelAdmission Admission => Silo.GetRequiredService<ModelAdmission>();

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "modelrunner-grains-data", Guid.NewGuid().ToString("N"));

    public static async Task<GrainsHost> StartAsync(StoredModels models, string? dataDirectory = null, long? memoryBytes = null, TimeSpan? responseTimeout = null)
    {
        var directory = dataDirectory ?? NewDataDirectory();
        Directory.CreateDirectory(directory);
        var node = new NodeOptions { DataDirectory = directory };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // Registered as an instance, the fixture's store is not disposed with the silo.
            silo.Services.AddSingleton(models.Distribution);
            silo.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(node));
            silo.AddSqliteGrainStorageAsDefault(storage => storage.DatabasePath = node.StoragePath);
            silo.AddModelRunnerGrains(admission => admission.MemoryBytes = memoryBytes ?? 8L << 30);
            ModelRunnerSiloExtensions.ConfigureRuntime(silo.Services);
            if (responseTimeout is { } timeout)
            {
                silo.Services.Configure<Orleans.Configuration.SiloMessagingOptions>(options => options.ResponseTimeout = timeout);
            }
        });
        builder.ConfigureClient(client =>
        {
            ModelRunnerSiloExtensions.ConfigureRuntime(client.Services);
            if (responseTimeout is { } timeout)
            {
                client.Services.Configure<Orleans.Configuration.ClientMessagingOptions>(options => options.ResponseTimeout = timeout);
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GrainsHost(cluster, directory);
    }

    public IModelGrain Model(string id) => Grains.GetGrain<IModelGrain>(id);

    public bool IsLoaded(string id) => Loaded.IsLoaded(id);

    public ModelStatus Status(string id) => Loaded.Find(id)?.Status ?? throw new InvalidOperationException($"model {id} is not loaded");

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _cluster.StopAllSilosAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _cluster.DisposeAsync();
    }
}
