using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A chat message in an answer.</summary>
public sealed record OllamaMessage(string Role, string Content, IReadOnlyList<OllamaToolCall>? ToolCalls = null);
