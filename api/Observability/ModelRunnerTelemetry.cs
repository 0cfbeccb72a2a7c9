using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Distribution.Diagnostics;
using ModelRunner.Engine.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ModelRunner.Api.Observability;

/// <summary>
/// Metrics and traces through OpenTelemetry: our meter and Orleans' at <c>/metrics</c>
/// (Prometheus), and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, one trace per request
/// (HTTP → grain call → engine) exported over OTLP.
/// </summary>
internal static class ModelRunnerTelemetry
{
    /// <summary>Orleans' own instruments (activations, messages, grain calls).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The setting that turns trace export on; the exporter reads the rest of the <c>OTEL_EXPORTER_OTLP_*</c> settings itself.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Orleans' grain call spans, once activity propagation is on.
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static IServiceCollection AddModelRunnerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("modelrunner", serviceVersion: Dmr.OperationsEndpoints.Version))
            .WithMetrics(metrics => metrics
                .AddMeter(ServerMetrics.MeterName, OrleansMeter)
                // Every scrape sees the counts of that moment: no cached answer.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (configuration[OtlpEndpointSetting] is { Length: > 0 })
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(OrleansSources)
                .AddSource(EngineTelemetry.SourceName, DistributionTelemetry.SourceName)
                .AddOtlpExporter());
        }

        return services;
    }
}
