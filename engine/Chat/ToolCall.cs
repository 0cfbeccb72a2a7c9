namespace ModelRunner.Engine.Chat;

/// <summary>A call the model asked for.</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">Its arguments as a JSON object, in text.</param>
public sealed record ToolCall(string Name, string Arguments);
