using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>What a stream chunk adds to the message.</summary>
public sealed record ChunkDelta(string? Role = null, string? Content = null, IReadOnlyList<ToolCallEntry>? ToolCalls = null);
