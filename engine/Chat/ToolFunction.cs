using System.Text.Json;

namespace ModelRunner.Engine.Chat;

/// <summary>One function of <see cref="ToolDescription"/>.</summary>
internal sealed record ToolFunction(string Name, string Description, JsonElement Parameters);
