using System.Text;
using System.Text.Json;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Chat;

/// <summary>
/// Tool use for models driven through llama.cpp's built-in templates, which have no slot for
/// tools: the tools are described in a system message in the widely trained Hermes format (calls
/// are <c>&lt;tool_call&gt;{"name": …, "arguments": {…}}&lt;/tool_call&gt;</c>), and when a call is
/// required a grammar makes the model write exactly one well-formed call. Thread-safe.
/// </summary>
public static class ToolPrompt
{
    /// <summary>Adds the tool descriptions to the conversation's system message (or a new one in front).</summary>
    public static IReadOnlyList<ChatMessage> WithTools(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.Count == 0)
        {
            return messages;
        }

        var description = new StringBuilder()
            .Append("You can call functions. They are described in JSON Schema inside <tools></tools>:\n<tools>\n");
        foreach (var tool in tools)
        {
            description.Append(JsonSerializer.Serialize(
                new ToolDescription("function", new ToolFunction(tool.Name, tool.Description ?? "", tool.Parameters)),
                ChatJsonContext.Default.ToolDescription)).Append('\n');
        }

        description.Append("</tools>\nTo call a function, answer with a JSON object inside <tool_call></tool_call>:\n")
            .Append("<tool_call>\n{\"name\": \"<function name>\", \"arguments\": {<arguments>}}\n</tool_call>");

        return messages.Count > 0 && messages[0].Role == "system"
            ? [new ChatMessage("system", messages[0].Content + "\n\n" + description), .. messages.Skip(1)]
            : [new ChatMessage("system", description.ToString()), .. messages];
    }

    /// <summary>
    /// A grammar that makes the model answer with one call of one of <paramref name="tools"/>
    /// (or of <paramref name="only"/>), its arguments valid against the tool's schema.
    /// </summary>
    /// <exception cref="UnsupportedSchemaException">A tool's parameter schema uses a feature the grammar cannot express.</exception>
    /// <exception cref="ArgumentException"><paramref name="only"/> names no tool.</exception>
    public static string RequiredCallGrammar(IReadOnlyList<ToolDefinition> tools, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var choices = only is null ? tools : [.. tools.Where(tool => tool.Name == only)];
        if (choices.Count == 0)
        {
            throw new ArgumentException(only is null ? "there are no tools to call" : $"there is no tool named '{only}'", nameof(only));
        }

        var schema = new StringBuilder("{\"anyOf\":[");
        schema.AppendJoin(',', choices.Select(tool =>
            $"{{\"type\":\"object\",\"properties\":{{\"name\":{{\"const\":{JsonSerializer.Serialize(tool.Name, ChatJsonContext.Default.String)}}},\"arguments\":{tool.Parameters.GetRawText()}}},\"required\":[\"name\",\"arguments\"]}}"));
        schema.Append("]}");
        using var document = JsonDocument.Parse(schema.ToString());
        return JsonGrammar.FromSchema(document.RootElement);
    }

    /// <summary>
    /// Splits a model's answer into text and tool calls: <c>&lt;tool_call&gt;</c> blocks anywhere,
    /// or an answer that is nothing but a JSON call object. Text that only looks like a call
    /// (malformed JSON, unknown function) stays text.
    /// </summary>
    public static (string Content, IReadOnlyList<ToolCall> Calls) Parse(string answer, IReadOnlyList<ToolDefinition> tools)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(tools);
        var calls = new List<ToolCall>();
        if (tools.Count == 0)
        {
            return (answer, calls);
        }

        const string Open = "<tool_call>";
        const string Close = "</tool_call>";
        var content = new StringBuilder();
        var at = 0;
        while (true)
        {
            var start = answer.IndexOf(Open, at, StringComparison.Ordinal);
            var end = start < 0 ? -1 : answer.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                content.Append(answer, at, answer.Length - at);
                break;
            }

            var body = answer[(start + Open.Length)..end];
            if (TryReadCall(body, tools) is { } call)
            {
                content.Append(answer, at, start - at);
                calls.Add(call);
            }
            else
            {
                content.Append(answer, at, end + Close.Length - at);
            }

            at = end + Close.Length;
        }

        if (calls.Count == 0 && TryReadCall(answer, tools) is { } bare)
        {
            return ("", [bare]);
        }

        return (content.ToString().Trim(), calls);
    }

    private static ToolCall? TryReadCall(string text, IReadOnlyList<ToolDefinition> tools)
    {
        try
        {
            using var document = JsonDocument.Parse(text.Trim());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && tools.Any(tool => tool.Name == name.GetString())
                && root.TryGetProperty("arguments", out var arguments))
            {
                // Some models send the arguments as a JSON string holding the object.
                var text2 = arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : arguments.GetRawText();
                return new ToolCall(name.GetString()!, text2);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
