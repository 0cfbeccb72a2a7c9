using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A line of <c>/api/chat</c>: a piece of the message, and on the last (<c>done</c>) the counts and durations in nanoseconds.</summary>
public sealed record ChatResponse(string Model, DateTimeOffset CreatedAt, OllamaMessage Message, bool Done)
{
    public string? DoneReason { get; init; }

    public long? TotalDuration { get; init; }

    public long? LoadDuration { get; init; }

    public int? PromptEvalCount { get; init; }

    public long? PromptEvalDuration { get; init; }

    public int? EvalCount { get; init; }

    public long? EvalDuration { get; init; }
}
