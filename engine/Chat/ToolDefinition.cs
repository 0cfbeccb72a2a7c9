using System.Text.Json;

namespace ModelRunner.Engine.Chat;

/// <summary>A function the model may call (OpenAI's <c>tools[].function</c>, Anthropic's <c>tools[]</c>).</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Description">What it does, for the model; may be null.</param>
/// <param name="Parameters">A JSON Schema of its arguments (an object schema).</param>
public sealed record ToolDefinition(string Name, string? Description, JsonElement Parameters);
