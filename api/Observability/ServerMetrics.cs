using System.Diagnostics;
using System.Diagnostics.Metrics;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Observability;

/// <summary>
/// The server's instruments on the <see cref="MeterName"/> meter, which OpenTelemetry's Prometheus
/// exporter writes at <c>/metrics</c>: HTTP requests, tokens, time to first token and decode speed
/// per model, and (observed when scraped) loaded models, their queues, memory and the process'
/// resident memory. Thread-safe.
/// </summary>
/// <remarks>
/// Names carry the Prometheus suffixes the exporter would otherwise add (<c>_total</c> on counters,
/// <c>_seconds</c> from the unit), so the exposed names stay those dashboards already read.
/// </remarks>
public sealed class ServerMetrics
{
    /// <summary>The meter every ModelRunner instrument is on.</summary>
    public const string MeterName = "ModelRunner";

    private static readonly double[] FirstTokenSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] TokensPerSecondBuckets = [1, 5, 10, 20, 50, 100, 200, 500];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generatedTokens;
    private readonly Histogram<double> _firstToken;
    private readonly Histogram<double> _speed;

    public ServerMetrics(IMeterFactory meters, LoadedModels loaded, ModelAdmission admission)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(admission);
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("modelrunner_http_requests", description: "HTTP requests answered, by API family, method and status.");
        _promptTokens = meter.CreateCounter<long>("modelrunner_prompt_tokens", description: "Prompt tokens of generations.");
        _generatedTokens = meter.CreateCounter<long>("modelrunner_generated_tokens", description: "Tokens generated.");
        _firstToken = meter.CreateHistogram(
            "modelrunner_time_to_first_token",
            "s",
            "From a request's arrival to its first token.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenSeconds });
        _speed = meter.CreateHistogram(
            "modelrunner_tokens_per_second",
            unit: null,
            "Decode speed of each generation.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = TokensPerSecondBuckets });

        // This node's own loaded models only: Prometheus scrapes each node.
        meter.CreateObservableGauge("modelrunner_loaded_models", () => loaded.Statuses().Count, description: "Models loaded on this node.");
        meter.CreateObservableGauge(
            "modelrunner_queue_depth",
            () => loaded.Statuses().Select(status => new Measurement<int>(status.QueuedRequests, new KeyValuePair<string, object?>("model", Name(status)))),
            description: "Requests waiting for a free sequence.");
        meter.CreateObservableGauge(
            "modelrunner_model_memory_bytes",
            () => loaded.Statuses().Select(status => new Measurement<long>(status.MemoryBytes, new KeyValuePair<string, object?>("model", Name(status)))),
            description: "Estimated memory of each loaded model.");
        // The dashboard's memory bar reads this one.
        meter.CreateObservableGauge("modelrunner_memory_budget_bytes", () => admission.MemoryBudget, description: "System memory loaded models may use on this node.");
        meter.CreateObservableGauge("modelrunner_process_resident_bytes", ResidentBytes, description: "Resident memory of the server process.");
    }

    public void CountRequest(string family, string method, int status) =>
        _requests.Add(1, new("family", family), new("method", method), new("status", status));

    public void RecordGeneration(string model, int promptTokens, int completionTokens, TimeSpan timeToFirstToken, double tokensPerSecond)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _promptTokens.Add(promptTokens, tag);
        _generatedTokens.Add(completionTokens, tag);
        _firstToken.Record(timeToFirstToken.TotalSeconds, tag);
        if (tokensPerSecond > 0)
        {
            _speed.Record(tokensPerSecond, tag);
        }
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string Name(ModelStatus status) => status.Tags.Count > 0 ? status.Tags[0] : status.Id;
}
