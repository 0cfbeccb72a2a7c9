using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>What a stream chunk adds to the message.</summary>
/// <param name="ReasoningContent">A reasoning model's thinking (llama-server's and DeepSeek's field), streamed before the content.</param>
public sealed record ChunkDelta(string? Role = null, string? Content = null, IReadOnlyList<ToolCallEntry>? ToolCalls = null, string? ReasoningContent = null);
