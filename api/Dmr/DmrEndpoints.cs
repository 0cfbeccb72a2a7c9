using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelRunner.Api.Observability;

namespace ModelRunner.Api.Dmr;

/// <summary>DMR's own API: model management, the runtime under <c>/engines</c>, and operations.</summary>
public static class DmrEndpoints
{
    /// <summary>Registers the request log, metrics and the log ring behind <c>/logs</c>.</summary>
    public static IServiceCollection AddDmrApi(this IServiceCollection services)
    {
        services.AddSingleton<RequestLog>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<LogRing>();
        services.AddSingleton<ILoggerProvider, RingLoggerProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapDmrEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", OperationsEndpoints.Root);
        routes.MapGet("/version", OperationsEndpoints.VersionInfo);
        // OpenTelemetry's Prometheus exporter writes every instrument of ModelRunnerTelemetry's meters.
        routes.MapPrometheusScrapingEndpoint("/metrics");
        routes.MapGet("/logs", OperationsEndpoints.LogsAsync);

        routes.MapGet("/models", ModelsEndpoints.ListAsync);
        routes.MapPost("/models/create", ModelsEndpoints.CreateAsync);
        routes.MapPost("/models/package", ModelsEndpoints.PackageAsync);
        routes.MapPost("/models/load", ModelArchiveEndpoints.LoadAsync);
        routes.MapDelete("/models/purge", ModelsEndpoints.PurgeAsync);
        routes.MapGet("/models/{**name}", ModelsEndpoints.GetAsync);
        routes.MapPost("/models/{**path}", ModelsEndpoints.ActAsync);
        routes.MapDelete("/models/{**name}", ModelsEndpoints.DeleteAsync);

        foreach (var prefix in new[] { "/engines", "/engines/llama.cpp" })
        {
            var engines = routes.MapGroup(prefix);
            engines.MapGet("/status", EnginesEndpoints.Status);
            engines.MapGet("/ps", EnginesEndpoints.PsAsync);
            engines.MapGet("/df", EnginesEndpoints.Df);
            engines.MapPost("/unload", EnginesEndpoints.UnloadAsync);
            engines.MapPost("/_configure", EnginesEndpoints.ConfigureAsync);
            engines.MapGet("/_configure", EnginesEndpoints.ConfigurationAsync);
            engines.MapGet("/requests", EnginesEndpoints.RequestsAsync);
        }

        return routes;
    }

    /// <summary>Middleware before every route: request counting, and <c>X-Preload-Only</c>.</summary>
    public static IApplicationBuilder UseDmrPipeline(this IApplicationBuilder app)
    {
        app.UseMiddleware<RequestCountingMiddleware>();
        app.UseMiddleware<PreloadOnlyMiddleware>();
        return app;
    }
}
