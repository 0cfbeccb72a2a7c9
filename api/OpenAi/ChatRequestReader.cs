using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.OpenAi;

/// <summary>Reads a <c>/chat/completions</c> body into a backend request, naming any field at fault.</summary>
internal static class ChatRequestReader
{
    public static (BackendRequest Request, StreamSettings Stream) Read(RequestFields body, HttpContext context)
    {
        var messages = body.Objects("messages") ?? throw ApiException.Invalid("'messages' is required", "messages");
        if (messages.Count == 0)
        {
            throw ApiException.Invalid("'messages' must hold at least one message", "messages");
        }

        var tools = ReadTools(body);
        var request = SamplingReader.Read(body, context) with
        {
            Model = body.RequiredString("model"),
            Prompt = ModelPrompt.Chat([.. messages.Select(ReadMessage)]),
            Tools = tools,
            ToolChoice = ReadToolChoice(body, tools),
            Format = ReadFormat(body),
            ConversationId = context.Request.Headers["X-Conversation-Id"] is [{ Length: > 0 } id] ? id : null,
            Think = ReadThink(body),
        };
        return (request, StreamSettings.Read(body));
    }

    /// <summary><c>reasoning_effort</c>: <c>none</c> turns a reasoning model's thinking off, any effort turns it on.</summary>
    private static bool? ReadThink(RequestFields body) => body.String("reasoning_effort") switch
    {
        null => null,
        "none" => false,
        "minimal" or "low" or "medium" or "high" or "xhigh" => true,
        var other => throw ApiException.Invalid($"'reasoning_effort' must be none, minimal, low, medium or high, not '{other}'", "reasoning_effort"),
    };

    private static PromptMessage ReadMessage(RequestFields message)
    {
        var role = message.RequiredString("role");
        var content = Content(message);
        return role switch
        {
            "system" or "developer" => new PromptMessage("system", content),
            "user" => new PromptMessage("user", content),
            "assistant" => new PromptMessage("assistant", content + ToolCalls(message)),
            "tool" or "function" => new PromptMessage("tool", content),
            _ => throw ApiException.Invalid($"'{message.Name("role")}' must be system, developer, user, assistant or tool, not '{role}'", message.Name("role")),
        };
    }

    /// <summary>A string, or content parts of which only text is understood.</summary>
    private static string Content(RequestFields message)
    {
        if (message.Element("content") is not { } content)
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        var text = new StringBuilder();
        foreach (var part in message.Objects("content") ?? throw message.Wrong("content", "a string or an array of content parts"))
        {
            var type = part.RequiredString("type");
            text.Append(type is "text" or "input_text" or "output_text"
                ? part.String("text") ?? ""
                : throw ApiException.Invalid($"'{part.Name("type")}' is '{type}': this server understands text content only", part.Name("type")));
        }

        return text.ToString();
    }

    private static string ToolCalls(RequestFields message)
    {
        var text = new StringBuilder();
        foreach (var call in message.Objects("tool_calls") ?? [])
        {
            var function = call.Fields("function") ?? throw ApiException.Invalid($"'{call.Name("function")}' is required", call.Name("function"));
            text.Append(text.Length > 0 || message.Has("content") ? "\n" : "").Append(ToolCallText.For(function.RequiredString("name"), function.String("arguments") ?? "{}"));
        }

        return text.ToString();
    }

    private static IReadOnlyList<ToolDefinition> ReadTools(RequestFields body) =>
        [.. (body.Objects("tools") ?? []).Select(tool =>
        {
            var function = tool.Fields("function") ?? throw ApiException.Invalid($"'{tool.Name("function")}' is required", tool.Name("function"));
            var parameters = function.Element("parameters") is { ValueKind: JsonValueKind.Object } schema ? schema.Clone() : EmptySchema;
            return new ToolDefinition(function.RequiredString("name"), function.String("description"), parameters);
        })];

    private static ToolChoice ReadToolChoice(RequestFields body, IReadOnlyList<ToolDefinition> tools) =>
        ToolChoiceReader.Read(body, tools, choice => choice.Fields("function")?.RequiredString("name")
            ?? throw ApiException.Invalid("'tool_choice.function.name' is required", "tool_choice.function.name"));

    private static ResponseFormat ReadFormat(RequestFields body)
    {
        if (body.Fields("response_format") is not { } format)
        {
            return ResponseFormat.Text;
        }

        return format.RequiredString("type") switch
        {
            "text" => ResponseFormat.Text,
            "json_object" => ResponseFormat.JsonObject,
            "json_schema" => ResponseFormat.JsonSchema(
                (format.Fields("json_schema") ?? throw ApiException.Invalid("'response_format.json_schema' is required", "response_format.json_schema"))
                    .Fields("schema")?.Json ?? throw ApiException.Invalid("'response_format.json_schema.schema' is required", "response_format.json_schema.schema")),
            var other => throw ApiException.Invalid($"'response_format.type' must be text, json_object or json_schema, not '{other}'", "response_format.type"),
        };
    }

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone();
}
