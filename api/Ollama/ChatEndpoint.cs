using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Ollama;

/// <summary><c>POST /api/chat</c>: NDJSON by default; no messages loads (or with keep_alive 0 unloads) the model.</summary>
internal static class ChatEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var request = OllamaRequestReader.Read(body, context);
        var messages = body.Objects("messages") ?? [];
        if (messages.Count == 0)
        {
            var reason = await OllamaLoading.LoadOrUnloadAsync(backend, request, context.RequestAborted).ConfigureAwait(false);
            await Write(context, new ChatResponse(request.Model, DateTimeOffset.UtcNow, new OllamaMessage("assistant", ""), true) { DoneReason = reason }).ConfigureAwait(false);
            return;
        }

        var tools = (body.Objects("tools") ?? []).Select(ReadTool).ToList();
        request = request with { Prompt = ModelPrompt.Chat([.. messages.Select(ReadMessage)]), Tools = tools };
        await OllamaGeneration.RunAsync(
            context,
            backend,
            request,
            OllamaRequestReader.Streams(body),
            (text, thinking) => JsonSerializer.Serialize(new ChatResponse(request.Model, DateTimeOffset.UtcNow, new OllamaMessage("assistant", text) { Thinking = NullIfEmpty(thinking) }, false), OllamaJsonContext.Default.ChatResponse),
            (result, text, thinking) => JsonSerializer.Serialize(
                new ChatResponse(request.Model, DateTimeOffset.UtcNow, new OllamaMessage("assistant", text, ToolCalls(result)) { Thinking = NullIfEmpty(thinking) }, true)
                {
                    DoneReason = OllamaDurations.DoneReason(result.Finish),
                    TotalDuration = OllamaDurations.Nanoseconds(result.TotalDuration),
                    LoadDuration = OllamaDurations.Nanoseconds(result.LoadDuration),
                    PromptEvalCount = result.Generation.PromptTokens,
                    PromptEvalDuration = OllamaDurations.Nanoseconds(result.Generation.PromptDuration),
                    EvalCount = result.Generation.CompletionTokens,
                    EvalDuration = OllamaDurations.Nanoseconds(result.Generation.GenerationDuration),
                },
                OllamaJsonContext.Default.ChatResponse)).ConfigureAwait(false);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static Task Write(HttpContext context, ChatResponse response) =>
        Results.Json(response, OllamaJsonContext.Default.ChatResponse).ExecuteAsync(context);

    private static PromptMessage ReadMessage(RequestFields message)
    {
        if (message.Has("images"))
        {
            throw ApiException.Invalid($"'{message.Name("images")}': this server understands text only", message.Name("images"));
        }

        var role = message.RequiredString("role");
        var content = message.String("content") ?? "";
        foreach (var call in message.Objects("tool_calls") ?? [])
        {
            var function = call.Fields("function") ?? throw ApiException.Invalid($"'{call.Name("function")}' is required", call.Name("function"));
            var arguments = function.Element("arguments") is { } value ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText() : "{}";
            content += (content.Length > 0 ? "\n" : "") + ToolCallText.For(function.RequiredString("name"), arguments);
        }

        return role is "system" or "user" or "assistant" or "tool"
            ? new PromptMessage(role, content)
            : throw ApiException.Invalid($"'{message.Name("role")}' must be system, user, assistant or tool, not '{role}'", message.Name("role"));
    }

    private static ToolDefinition ReadTool(RequestFields tool)
    {
        var function = tool.Fields("function") ?? throw ApiException.Invalid($"'{tool.Name("function")}' is required", tool.Name("function"));
        var parameters = function.Element("parameters") is { ValueKind: JsonValueKind.Object } schema ? schema.Clone() : JsonDocument.Parse("{\"type\":\"object\"}").RootElement.Clone();
        return new ToolDefinition(function.RequiredString("name"), function.String("description"), parameters);
    }

    private static IReadOnlyList<OllamaToolCall>? ToolCalls(BackendResult result) =>
        result.ToolCalls.Count == 0 ? null : [.. result.ToolCalls.Select(call =>
        {
            using var arguments = JsonDocument.Parse(call.Arguments);
            return new OllamaToolCall(new OllamaFunction(call.Name, arguments.RootElement.Clone()));
        })];
}
