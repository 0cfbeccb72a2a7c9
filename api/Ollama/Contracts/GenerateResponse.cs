using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A line of <c>/api/generate</c>; the last (<c>done</c>) carries counts and durations in nanoseconds.</summary>
public sealed record GenerateResponse(string Model, DateTimeOffset CreatedAt, string Response, bool Done)
{
    /// <summary>A reasoning model's thinking, apart from <see cref="Response"/>.</summary>
    public string? Thinking { get; init; }

    public string? DoneReason { get; init; }

    public long? TotalDuration { get; init; }

    public long? LoadDuration { get; init; }

    public int? PromptEvalCount { get; init; }

    public long? PromptEvalDuration { get; init; }

    public int? EvalCount { get; init; }

    public long? EvalDuration { get; init; }
}
