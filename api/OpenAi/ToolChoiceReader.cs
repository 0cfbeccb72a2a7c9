using System.Text.Json;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;

namespace ModelRunner.Api.OpenAi;

/// <summary>
/// OpenAI's <c>tool_choice</c>: absent (auto), a mode, or a function object, whose name chat
/// completions and the Responses API place differently (<paramref name="functionName"/> reads it).
/// </summary>
internal static class ToolChoiceReader
{
    public static ToolChoice Read(RequestFields body, IReadOnlyList<ToolDefinition> tools, Func<RequestFields, string> functionName)
    {
        if (body.Element("tool_choice") is not { } choice)
        {
            return ToolChoice.Auto;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => tools.Count > 0 ? ToolChoice.Required : throw ApiException.Invalid("'tool_choice' is 'required' but there are no 'tools'", "tool_choice"),
                var other => throw ApiException.Invalid($"'tool_choice' must be none, auto, required or a function, not '{other}'", "tool_choice"),
            };
        }

        var name = functionName(body.Fields("tool_choice")!.Value);
        return tools.Any(tool => tool.Name == name) ? ToolChoice.For(name) : throw ApiException.Invalid($"'tool_choice' names '{name}', which is not in 'tools'", "tool_choice");
    }
}
