using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Observability;

/// <summary>
/// The server's counters and histograms, written in Prometheus' text format by <c>/metrics</c>:
/// HTTP requests, tokens, time to first token and decode speed per model, and (read when
/// scraped) loaded models, their queues and memory. Thread-safe.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] FirstTokenSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] TokensPerSecond = [1, 5, 10, 20, 50, 100, 200, 500];

    private readonly ConcurrentDictionary<(string Family, string Method, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<string, ModelSeries> _models = new(StringComparer.Ordinal);

    public void CountRequest(string family, string method, int status) =>
        _requests.AddOrUpdate((family, method, status), 1, (_, count) => count + 1);

    public void RecordGeneration(string model, int promptTokens, int completionTokens, TimeSpan timeToFirstToken, double tokensPerSecond)
    {
        var series = _models.GetOrAdd(model, _ => new ModelSeries());
        Interlocked.Add(ref series.PromptTokens, promptTokens);
        Interlocked.Add(ref series.CompletionTokens, completionTokens);
        series.FirstToken.Observe(timeToFirstToken.TotalSeconds);
        if (tokensPerSecond > 0)
        {
            series.Speed.Observe(tokensPerSecond);
        }
    }

    /// <param name="loaded">The models loaded on this node.</param>
    /// <param name="memoryBudget">System memory models may use on this node, when known (the dashboard's memory bar reads it).</param>
    public string Write(IReadOnlyList<ModelStatus> loaded, long? memoryBudget = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var text = new StringBuilder();
        text.Append("# HELP modelrunner_http_requests_total HTTP requests answered, by API family, method and status.\n# TYPE modelrunner_http_requests_total counter\n");
        foreach (var ((family, method, status), count) in _requests.OrderBy(pair => pair.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"modelrunner_http_requests_total{{family=\"{family}\",method=\"{method}\",status=\"{status}\"}} {count}\n");
        }

        text.Append("# HELP modelrunner_prompt_tokens_total Prompt tokens of generations.\n# TYPE modelrunner_prompt_tokens_total counter\n");
        Each(model => $"modelrunner_prompt_tokens_total{{model=\"{model.Key}\"}} {Interlocked.Read(ref model.Value.PromptTokens)}\n");
        text.Append("# HELP modelrunner_generated_tokens_total Tokens generated.\n# TYPE modelrunner_generated_tokens_total counter\n");
        Each(model => $"modelrunner_generated_tokens_total{{model=\"{model.Key}\"}} {Interlocked.Read(ref model.Value.CompletionTokens)}\n");
        text.Append("# HELP modelrunner_time_to_first_token_seconds From a request's arrival to its first token.\n# TYPE modelrunner_time_to_first_token_seconds histogram\n");
        foreach (var model in _models.OrderBy(pair => pair.Key))
        {
            model.Value.FirstToken.WriteTo(text, "modelrunner_time_to_first_token_seconds", $"model=\"{model.Key}\"");
        }

        text.Append("# HELP modelrunner_tokens_per_second Decode speed of each generation.\n# TYPE modelrunner_tokens_per_second histogram\n");
        foreach (var model in _models.OrderBy(pair => pair.Key))
        {
            model.Value.Speed.WriteTo(text, "modelrunner_tokens_per_second", $"model=\"{model.Key}\"");
        }

        text.Append("# HELP modelrunner_loaded_models Models loaded on this node.\n# TYPE modelrunner_loaded_models gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"modelrunner_loaded_models {loaded.Count}\n");
        text.Append("# HELP modelrunner_queue_depth Requests waiting for a free sequence.\n# TYPE modelrunner_queue_depth gauge\n");
        foreach (var status in loaded)
        {
            text.Append(CultureInfo.InvariantCulture, $"modelrunner_queue_depth{{model=\"{Name(status)}\"}} {status.QueuedRequests}\n");
        }

        text.Append("# HELP modelrunner_model_memory_bytes Estimated memory of each loaded model.\n# TYPE modelrunner_model_memory_bytes gauge\n");
        foreach (var status in loaded)
        {
            text.Append(CultureInfo.InvariantCulture, $"modelrunner_model_memory_bytes{{model=\"{Name(status)}\"}} {status.MemoryBytes}\n");
        }

        if (memoryBudget is { } budget)
        {
            text.Append("# HELP modelrunner_memory_budget_bytes System memory loaded models may use on this node.\n# TYPE modelrunner_memory_budget_bytes gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"modelrunner_memory_budget_bytes {budget}\n");
        }

        using var process = Process.GetCurrentProcess();
        text.Append("# HELP modelrunner_process_resident_bytes Resident memory of the server process.\n# TYPE modelrunner_process_resident_bytes gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"modelrunner_process_resident_bytes {process.WorkingSet64}\n");
        return text.ToString();

        void Each(Func<KeyValuePair<string, ModelSeries>, string> line)
        {
            foreach (var model in _models.OrderBy(pair => pair.Key))
            {
                text.Append(CultureInfo.InvariantCulture, $"{line(model)}");
            }
        }
    }

    private static string Name(ModelStatus status) => status.Tags.Count > 0 ? status.Tags[0] : status.Id;

    private sealed class ModelSeries
    {
        public readonly Histogram FirstToken = new(FirstTokenSeconds);
        public readonly Histogram Speed = new(TokensPerSecond);
        public long PromptTokens;
        public long CompletionTokens;
    }
}
