using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Backend;

/// <summary>How an answer ended.</summary>
/// <param name="Model">The model's name as the client gave it.</param>
/// <param name="Finish">Why it ended.</param>
/// <param name="Content">The answer's text, without any tool calls.</param>
/// <param name="ToolCalls">Tool calls the model made.</param>
/// <param name="Generation">Token counts and timings.</param>
/// <param name="StopSequence">The stop sequence that ended it, if one did.</param>
public sealed record BackendResult(string Model, BackendFinish Finish, string Content, IReadOnlyList<ToolCallResult> ToolCalls, GenerationSummary Generation, string? StopSequence = null)
{
    /// <summary>The time from receiving the request to the end.</summary>
    public TimeSpan TotalDuration { get; init; }

    /// <summary>Time spent loading the model for this request (zero when it was loaded).</summary>
    public TimeSpan LoadDuration { get; init; }

    /// <summary>A reasoning model's thinking, apart from <see cref="Content"/>; empty when it did not think.</summary>
    public string Reasoning { get; init; } = "";
}
