using System.Text;
using System.Text.Json;
using ModelRunner.Grains.Models;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;
using ModelRunner.Grains.Conversations;

namespace ModelRunner.Api.OpenAi;

/// <summary>Items of the Responses and Conversations APIs: read from requests, shown from conversations.</summary>
internal static class ItemReader
{
    /// <summary>
    /// <c>input</c>: a string (one user message) or an array of items: messages, the model's
    /// <c>function_call</c>s (written back as the model writes calls, several in a row joining one
    /// assistant message) and the client's <c>function_call_output</c>s (tool messages).
    /// </summary>
    public static IReadOnlyList<PromptMessage> Messages(RequestFields body, string field)
    {
        if (body.Element(field) is { ValueKind: JsonValueKind.String } text)
        {
            return [new PromptMessage("user", text.GetString()!)];
        }

        var items = body.Objects(field) ?? throw ApiException.Invalid($"'{body.Name(field)}' is required", body.Name(field));
        var messages = new List<PromptMessage>(items.Count);
        foreach (var item in items)
        {
            switch (item.String("type") ?? "message")
            {
                case "function_call":
                    var call = ToolCallText.For(item.RequiredString("name"), item.String("arguments") ?? "{}");
                    _ = item.RequiredString("call_id");
                    if (messages.Count > 0 && messages[^1].Role == "assistant")
                    {
                        messages[^1] = messages[^1] with { Content = messages[^1].Content + "\n" + call };
                    }
                    else
                    {
                        messages.Add(new PromptMessage("assistant", call));
                    }

                    break;
                case "function_call_output":
                    _ = item.RequiredString("call_id");
                    messages.Add(new PromptMessage("tool", item.Element("output") is { ValueKind: JsonValueKind.Array } ? Parts(item, "output") : item.String("output") ?? ""));
                    break;
                default:
                    messages.Add(Message(item));
                    break;
            }
        }

        return messages;
    }

    public static MessageItem Show(ConversationItem item) =>
        new(item.Id, item.Role, [new TextPart(item.Role == "assistant" ? "output_text" : "input_text", item.Content)]);

    public static IReadOnlyList<ConversationItem> ToConversationItems(IReadOnlyList<PromptMessage> messages) =>
        [.. messages.Select(message => new ConversationItem(OpenAiIds.New("msg"), message.Role, message.Content, DateTimeOffset.UtcNow))];

    private static PromptMessage Message(RequestFields item)
    {
        var type = item.String("type") ?? "message";
        if (type != "message")
        {
            throw ApiException.Invalid($"'{item.Name("type")}' is '{type}': this server understands message, function_call and function_call_output items", item.Name("type"));
        }

        var role = item.RequiredString("role");
        var content = item.Element("content") switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString()!,
            { ValueKind: JsonValueKind.Array } => Parts(item, "content"),
            _ => throw item.Wrong("content", "a string or an array of content parts"),
        };
        return role switch
        {
            "user" or "assistant" or "system" => new PromptMessage(role, content),
            "developer" => new PromptMessage("system", content),
            _ => throw ApiException.Invalid($"'{item.Name("role")}' must be user, assistant, system or developer, not '{role}'", item.Name("role")),
        };
    }

    private static string Parts(RequestFields item, string field)
    {
        var text = new StringBuilder();
        foreach (var part in item.Objects(field)!)
        {
            var type = part.RequiredString("type");
            text.Append(type is "input_text" or "output_text" or "text"
                ? part.String("text") ?? ""
                : throw ApiException.Invalid($"'{part.Name("type")}' is '{type}': this server understands text parts only", part.Name("type")));
        }

        return text.ToString();
    }
}
