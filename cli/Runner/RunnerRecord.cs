using System.Text.Json.Serialization;

namespace ModelRunner.Cli.Runner;

/// <summary>What <c>start-runner</c> started, kept in <c>runner.json</c> so later verbs find it: its process, address and log.</summary>
internal sealed record RunnerRecord
{
    [JsonPropertyName("pid")]
    public required int Pid { get; init; }

    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("log")]
    public required string Log { get; init; }

    /// <summary>What <c>--host</c> it was started with (the URL may say 127.0.0.1 for a wildcard).</summary>
    [JsonPropertyName("host")]
    public string? Host { get; init; }

    /// <summary>What <c>--port</c> it was started with (0: a free port, which the URL says).</summary>
    [JsonPropertyName("port")]
    public int? Port { get; init; }

    [JsonPropertyName("gpu")]
    public string? Gpu { get; init; }

    [JsonPropertyName("started_at")]
    public DateTimeOffset StartedAt { get; init; }
}
