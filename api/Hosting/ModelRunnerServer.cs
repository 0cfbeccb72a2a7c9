using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using Microsoft.Extensions.Logging;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Cluster;
using ModelRunner.Api.Anthropic;
using ModelRunner.Api.Dashboard;
using ModelRunner.Api.Dmr;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Observability;
using ModelRunner.Api.Ollama;
using ModelRunner.Api.OpenAi;
using ModelRunner.Api.Rerank;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Registry;
using ModelRunner.Grains.Models;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Api.Hosting;

/// <summary>
/// The <c>serve</c> process: Kestrel on 127.0.0.1:12434 by default, co-hosting the silo and its
/// grains, serving the OpenAI, Anthropic, Ollama and DMR APIs and the dashboard.
/// </summary>
public static class ModelRunnerServer
{
    /// <summary>Builds the server; <paramref name="configure"/> may replace services (tests).</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public static WebApplication Build(ServerOptions options, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.Home);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            // Kestrel refuses a request line over 8 KiB with a 414 and closes the connection at once,
            // so a client still sending its body sees a reset instead of the answer. Ollama's and
            // DMR's Go servers take 1 MiB of headers; a long model name or query string should reach
            // our routes, which answer in the family's shape.
            kestrel.Limits.MaxRequestLineSize = 64 << 10;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 << 10;
            kestrel.Listen(options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host), options.Port, listen =>
            {
                if (options.TlsCertificatePath is { } certificate)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(certificate, options.TlsKeyPath));
                }
            });
            if (options.UnixSocket is { } socket)
            {
                // A socket left by a server that died would make the bind fail.
                File.Delete(socket);
                kestrel.ListenUnixSocket(socket);
            }
        });

        // Each streamed token crosses from the request's thread to the socket's: on a machine whose
        // cores all run llama.cpp, every extra thread wake-up preempts a compute thread. Completing
        // socket operations inline saves one hop per token (our code never blocks on them).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Orleans places grains through a Polly pipeline that logs two information lines per
        // placement: every new conversation wrote them into /logs. Its retries and failures still show.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // Start-up failures (a port in use) reach the caller as one exception; no second report with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<ShutdownCutoff>();
        services.AddSingleton<ClusterMembers>();
        services.AddSingleton<PeerModels>();
        services.AddSingleton<PeerStatuses>();
        services.AddSingleton<ClusterCatalog>();
        services.AddSingleton<ReplicaRouter>();
        services.AddSingleton<IModelFetcher>(provider => provider.GetRequiredService<PeerModels>());
        services.AddHttpClient();
        services.AddPeerClient(options.ApiKey);
        services.TryAddSingleton<IModelDistribution>(provider =>
        {
            var distribution = ModelDistributionOptions.FromEnvironment();
            distribution.StorePath = options.ResolvedModelsPath;
            if (options.Cluster is not null && options.ApiKey is { Length: > 0 } key)
            {
                distribution.Credentials = RegistryCredentials.Combine(new PeerRegistryCredentials(provider.GetRequiredService<ClusterMembers>(), key), distribution.Credentials);
            }

            distribution.Logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("ModelRunner.Distribution");
            return ModelDistribution.Create(distribution);
        });
        builder.UseModelRunnerSilo(
            new NodeOptions
            {
                DataDirectory = options.Home,
                ClusterConnectionString = options.Cluster,
                SiloPort = options.SiloPort,
                AdvertisedAddress = options.Advertise,
                HttpUrl = options.Cluster is null ? null : new Uri($"http://{options.Advertise ?? (options.Host is "0.0.0.0" or "::" ? Environment.MachineName : options.Host)}:{options.Port}/"),
            },
            silo =>
            {
                // Grain calls join the request's trace.
                silo.AddActivityPropagation();
                silo.AddModelRunnerGrains(admission => admission.MemoryBytes = options.MemoryBytes ?? admission.MemoryBytes);
                if (options.OrleansDashboard)
                {
                    silo.AddDashboard();
                }

                silo.Services.AddSingleton<ModelPlacementDirector>();
                silo.AddPlacementDirector<StoreLocalityPlacement>(provider => provider.GetRequiredService<ModelPlacementDirector>());
            });
        // SIGTERM and SIGINT stop the host: requests stop being accepted, running generations get
        // the grace period, then the silo deactivates every grain (models save their conversations'
        // KV state). The whole stop fits in 10 s.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(4));
        services.TryAddSingleton<IModelBackend>(provider => new RecordingModelBackend(
            new GrainModelBackend(
                provider.GetRequiredService<IGrainFactory>(),
                provider.GetRequiredService<IModelDistribution>(),
                provider.GetRequiredService<LoadedModels>(),
                provider.GetRequiredService<PeerModels>(),
                provider.GetRequiredService<PeerStatuses>(),
                provider.GetRequiredService<ReplicaRouter>(),
                provider.GetRequiredService<ShutdownCutoff>().Token),
            provider.GetRequiredService<RequestLog>(),
            provider.GetRequiredService<ServerMetrics>()));
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .SetIsOriginAllowed(origin => IsLocalOrigin(origin) || options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
            .AllowAnyHeader()
            .AllowAnyMethod()));
        // A route value or query that does not bind (an empty {name}) throws, so the error
        // middleware answers in the family's shape instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddOpenAiApi();
        services.AddAnthropicApi();
        services.AddOllamaApi();
        services.AddDmrApi();
        services.AddModelRunnerTelemetry(builder.Configuration);
        configure?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<DockerDesktopPathPrefix>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Routing runs after the prefix is gone, so /exp/vDD4.40/engines/v1/… finds its endpoint.
        app.UseRouting();
        app.UseCors();
        if (options.ApiKey is { Length: > 0 } key)
        {
            app.UseMiddleware<ApiKeyMiddleware>(key);
        }

        app.UseDmrPipeline();

        app.MapOpenAiEndpoints();
        app.MapRerankEndpoints();
        app.MapAnthropicEndpoints();
        app.MapOllamaEndpoints();
        app.MapDmrEndpoints();
        app.MapNodesEndpoints();
        app.MapModelRegistry();
        app.MapDashboardEndpoints();
        if (options.OrleansDashboard)
        {
            app.MapOrleansDashboard("/orleans");
        }
        app.MapFallback((HttpContext context) => ErrorResponses.WriteAsync(context, new ApiError(404, ApiErrorKind.NotFound, $"no route for {context.Request.Method} {context.Request.Path}")));
        return app;
    }

    /// <summary>Starts a built server, creating the demo model first when asked; returns the address it listens on.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<ServerOptions>();
        if (options.Demo)
        {
            await DemoModel.EnsureAsync(app.Services.GetRequiredService<IModelDistribution>(), cancellationToken).ConfigureAwait(false);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First(address => !address.StartsWith("http://unix:", StringComparison.Ordinal));
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private static bool IsLocalOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost");
}
