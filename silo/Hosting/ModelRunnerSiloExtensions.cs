using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;
using Orleans.Storage;

namespace Microsoft.Extensions.Hosting;

/// <summary>Hosts this node's Orleans silo in the application's host.</summary>
public static class ModelRunnerSiloExtensions
{
    /// <summary>
    /// Adds the silo, configured as ModelRunner runs it: one node on loopback (no gateway: the
    /// API is co-hosted and calls grains in-process), grain state in SQLite under the node's data
    /// directory, serializers checked at start-up, and activation and deactivation allowed the
    /// minutes that loading or saving a large model can take. <paramref name="configure"/> adds
    /// the grains' own services and may override any of it.
    /// </summary>
    public static IHostApplicationBuilder UseModelRunnerSilo(this IHostApplicationBuilder builder, NodeOptions node, Action<ISiloBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        Directory.CreateDirectory(node.DataDirectory);
        builder.Services.AddSingleton(Options.Options.Create(node));
        if (node.ClusterConnectionString is { Length: > 0 } database)
        {
            // Ahead of the silo: hosted services start in order.
            builder.Services.AddHostedService(_ => new PostgresSchemaSetup(database));
        }

        builder.UseOrleans(silo =>
        {
            if (node.ClusterConnectionString is { Length: > 0 } connectionString)
            {
                JoinCluster(silo, node, connectionString);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort: node.SiloPort ?? FreeLoopbackPort(), gatewayPort: 0, serviceId: "modelrunner", clusterId: "modelrunner");
                silo.AddSqliteGrainStorageAsDefault(storage => storage.DatabasePath = node.StoragePath);
            }

            ConfigureRuntime(silo.Services);
            configure?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>
    /// Membership and grain state on PostgreSQL through Orleans' ADO.NET providers, and failure
    /// detection tuned so a killed node is declared dead within seconds, not Orleans' default
    /// 13 s (a hung one: 60 s).
    /// </summary>
    private static void JoinCluster(ISiloBuilder silo, NodeOptions node, string connectionString)
    {
        var port = node.SiloPort ?? NodeOptions.DefaultClusterSiloPort;
        if (node.AdvertisedAddress is { Length: > 0 } advertised)
        {
            var address = IPAddress.TryParse(advertised, out var parsed) ? parsed : Dns.GetHostAddresses(advertised).First(candidate => candidate.AddressFamily == AddressFamily.InterNetwork);
            silo.ConfigureEndpoints(address, port, gatewayPort: 0, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        }
        else
        {
            silo.ConfigureEndpoints(port, gatewayPort: 0);
        }

        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = "modelrunner";
            cluster.ServiceId = "modelrunner";
        });
        silo.Configure<SiloOptions>(options => options.SiloName = node.HttpUrl?.ToString() ?? Environment.MachineName);
        silo.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = "Npgsql";
            clustering.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorageAsDefault(storage =>
        {
            storage.Invariant = "Npgsql";
            storage.ConnectionString = connectionString;
        });
        silo.Services.AddSingleton<IOutgoingGrainCallFilter, NodeLossRetryFilter>();
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = TimeSpan.FromSeconds(1);
            membership.NumMissedProbesLimit = 2;
            membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        });
    }

    /// <summary>
    /// What every silo of ours sets, test clusters included: a type without a serializer fails
    /// the start, not its first call; our exceptions keep their type across nodes; a model may take
    /// minutes to load (admission may first wait for others to unload) or to save its sequences.
    /// </summary>
    public static void ConfigureRuntime(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<TypeManifestOptions>(options => options.EnableConfigurationAnalysis = true);
        services.AddPlacementDirector<StoreLocalityPlacement, LocalPlacementDirector>();
        // Grain state in Orleans' own version-tolerant binary format, the one our [GenerateSerializer]
        // contracts are written for (the default JSON one refuses types outside Orleans' allow-list).
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("ModelRunner"));
        services.Configure<GrainCollectionOptions>(options =>
        {
            options.ActivationTimeout = TimeSpan.FromMinutes(30);
            options.DeactivationTimeout = TimeSpan.FromMinutes(2);
        });
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
