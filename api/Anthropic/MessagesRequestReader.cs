using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Anthropic;

/// <summary>Reads a <c>/v1/messages</c> (or count_tokens) body into a backend request, naming any field at fault.</summary>
internal static class MessagesRequestReader
{
    public static BackendRequest Read(RequestFields body, HttpContext context, bool countOnly = false)
    {
        var maxTokens = body.Int("max_tokens", 1);
        if (maxTokens is null && !countOnly)
        {
            throw ApiException.Invalid("'max_tokens' is required", "max_tokens");
        }

        var messages = body.Objects("messages") ?? throw ApiException.Invalid("'messages' is required", "messages");
        var chat = new List<PromptMessage>();
        if (System(body) is { Length: > 0 } system)
        {
            chat.Add(new PromptMessage("system", system));
        }

        foreach (var message in messages)
        {
            chat.AddRange(ReadMessage(message));
        }

        var tools = (body.Objects("tools") ?? []).Select(tool => new ToolDefinition(
            tool.RequiredString("name"),
            tool.String("description"),
            tool.Element("input_schema") is { ValueKind: JsonValueKind.Object } schema ? schema.Clone() : throw ApiException.Invalid($"'{tool.Name("input_schema")}' is required", tool.Name("input_schema")))).ToList();
        var seed = body.Fields("metadata")?.Number("seed");
        var (think, budget) = Thinking(body, maxTokens);
        return new BackendRequest
        {
            Model = body.RequiredString("model"),
            Prompt = ModelPrompt.Chat(chat),
            Options = new GenerationOptions { MaxTokens = maxTokens, Stop = body.Strings("stop_sequences") ?? [] },
            Sampling = new SamplingOverrides
            {
                Temperature = body.Float("temperature", 0, 1),
                TopP = body.Float("top_p", 0, 1),
                TopK = body.Int("top_k", 0),
                Seed = seed is { } value ? unchecked((uint)(long)value) : null,
            },
            Tools = tools,
            ToolChoice = ReadToolChoice(body, tools),
            Think = think,
            ReasoningBudget = budget,
            Origin = new RequestOrigin(context.Request.Method, context.Request.Path, body.Json.GetRawText()),
        };
    }

    /// <summary>
    /// <c>thinking</c>: <c>{"type":"enabled","budget_tokens":N}</c> thinks for at most N tokens (fewer
    /// than <c>max_tokens</c>), <c>{"type":"disabled"}</c> answers at once; absent follows the model.
    /// </summary>
    private static (bool? Think, int? Budget) Thinking(RequestFields body, int? maxTokens)
    {
        if (body.Fields("thinking") is not { } thinking)
        {
            return (null, null);
        }

        switch (thinking.RequiredString("type"))
        {
            case "disabled":
                return (false, null);
            case "enabled":
                var budget = thinking.Int("budget_tokens", 1) ?? throw ApiException.Invalid("'thinking.budget_tokens' is required", "thinking.budget_tokens");
                return maxTokens is null || budget < maxTokens ? (true, budget) : throw ApiException.Invalid($"'thinking.budget_tokens' must be less than 'max_tokens' ({maxTokens})", "thinking.budget_tokens");
            case var other:
                throw ApiException.Invalid($"'thinking.type' must be enabled or disabled, not '{other}'", "thinking.type");
        }
    }

    private static string System(RequestFields body) => body.Element("system") switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { ValueKind: JsonValueKind.Array } => string.Join("\n", body.Objects("system")!.Select(block => block.String("text") ?? "")),
        _ => throw body.Wrong("system", "a string or an array of text blocks"),
    };

    /// <summary>A message's blocks: text joins; tool uses become the model's call text; each tool result becomes a tool message.</summary>
    private static List<PromptMessage> ReadMessage(RequestFields message)
    {
        var role = message.RequiredString("role");
        if (role is not ("user" or "assistant"))
        {
            throw ApiException.Invalid($"'{message.Name("role")}' must be user or assistant, not '{role}'", message.Name("role"));
        }

        if (message.Element("content") is { ValueKind: JsonValueKind.String } plain)
        {
            return [new PromptMessage(role, plain.GetString()!)];
        }

        var blocks = message.Objects("content") ?? throw ApiException.Invalid($"'{message.Name("content")}' is required", message.Name("content"));
        var results = new List<PromptMessage>();
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            var type = block.RequiredString("type");
            switch (type)
            {
                case "text":
                    text.Append(block.String("text"));
                    break;
                case "tool_use":
                    var input = block.Element("input")?.GetRawText() ?? "{}";
                    text.Append(text.Length > 0 ? "\n" : "").Append(ToolCallText.For(block.RequiredString("name"), input));
                    break;
                case "tool_result":
                    results.Add(new PromptMessage("tool", ToolResult(block)));
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                default:
                    throw ApiException.Invalid($"'{block.Name("type")}' is '{type}': this server understands text, tool_use and tool_result blocks", block.Name("type"));
            }
        }

        return text.Length > 0 || results.Count == 0 ? [.. results, new PromptMessage(role, text.ToString())] : results;
    }

    private static string ToolResult(RequestFields block) => block.Element("content") switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        _ => string.Join("\n", (block.Objects("content") ?? []).Select(part => part.String("text") ?? "")),
    };

    private static ToolChoice ReadToolChoice(RequestFields body, List<ToolDefinition> tools)
    {
        if (body.Fields("tool_choice") is not { } choice)
        {
            return ToolChoice.Auto;
        }

        return choice.RequiredString("type") switch
        {
            "auto" => ToolChoice.Auto,
            "none" => ToolChoice.None,
            "any" => tools.Count > 0 ? ToolChoice.Required : throw ApiException.Invalid("'tool_choice' is 'any' but there are no 'tools'", "tool_choice"),
            "tool" when choice.RequiredString("name") is var name => tools.Any(tool => tool.Name == name) ? ToolChoice.For(name) : throw ApiException.Invalid($"'tool_choice.name' is '{name}', which is not in 'tools'", "tool_choice.name"),
            var other => throw ApiException.Invalid($"'tool_choice.type' must be auto, any, tool or none, not '{other}'", "tool_choice.type"),
        };
    }
}
