using System.Text.Json;

namespace ModelRunner.Api.Backend;

/// <summary>
/// A tool call as the model writes it (the Hermes <c>&lt;tool_call&gt;</c> form the tool prompt
/// teaches), so a call sent back in a conversation's history reads as the model's own output.
/// </summary>
public static class ToolCallText
{
    public static string For(string name, string arguments)
    {
        ArgumentNullException.ThrowIfNull(name);
        var json = string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments;
        return $"<tool_call>\n{{\"name\": {JsonSerializer.Serialize(name, BackendJsonContext.Default.String)}, \"arguments\": {json}}}\n</tool_call>";
    }
}
