using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A chat message in an answer; <see cref="Thinking"/> holds a reasoning model's thinking (with <c>think</c>).</summary>
public sealed record OllamaMessage(string Role, string Content, IReadOnlyList<OllamaToolCall>? ToolCalls = null)
{
    public string? Thinking { get; init; }
}
