namespace ModelRunner.Engine.Chat;

/// <summary>The tool description written into the system prompt (OpenAI's tool shape).</summary>
internal sealed record ToolDescription(string Type, ToolFunction Function);
