using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Serialization.Configuration;
using Orleans.TestingHost;

namespace ModelRunner.Silo.Tests.Support;

/// <summary>Starts a one-silo Orleans test cluster whose default grain storage is SQLite.</summary>
public static class SqliteTestCluster
{
    /// <summary>Deploys the cluster; if it fails to start, it is disposed and the failure thrown.</summary>
    public static async Task<InProcessTestCluster> StartAsync(string databasePath, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.Options.ConfigureFileLogging = false;
        // Fails start-up if a type that crosses a grain call has no serializer.
        builder.ConfigureHost(host => host.Services.Configure<TypeManifestOptions>(options => options.EnableConfigurationAnalysis = true));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorageAsDefault(options => options.DatabasePath = databasePath);
            configureSilo?.Invoke(silo);
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
