using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Grains.Models;
using ModelRunner.Api.Anthropic.Contracts;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;

namespace ModelRunner.Api.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c>: a whole message, or the event sequence message_start,
/// content_block_start/delta/stop per block, message_delta, message_stop.
/// </summary>
internal static class MessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var request = MessagesRequestReader.Read(body, context);
        var id = "msg_" + Guid.NewGuid().ToString("N")[..24];

        // The first update is awaited before anything is written: a missing model is still a 404.
        await using var updates = backend.GenerateAsync(request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        var more = await updates.MoveNextAsync().ConfigureAwait(false);
        if (body.Bool("stream") != true)
        {
            BackendResult? result = null;
            for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
            {
                result = updates.Current.Result ?? result;
            }

            var message = Message(id, request.Model, result ?? throw new InvalidOperationException("the generation ended without a result"));
            await Results.Json(message, AnthropicJsonContext.Default.Message).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var inputTokens = await backend.CountTokensAsync(request.Model, request.Prompt with { Tools = [.. request.Tools.Select(EngineMapping.ToContract)], Think = request.Think }, context.RequestAborted).ConfigureAwait(false);
        var events = await EventStream.StartSseAsync(context).ConfigureAwait(false);
        Task SendAsync(StreamEvent streamEvent) =>
            events.DataAsync(JsonSerializer.Serialize(streamEvent, AnthropicJsonContext.Default.StreamEvent), streamEvent.Type);

        await SendAsync(new StreamEvent("message_start") { Message = new Message(id, request.Model, [], null, null, new MessageUsage(inputTokens, 0)) }).ConfigureAwait(false);
        await SendAsync(new StreamEvent("ping")).ConfigureAwait(false);
        var (index, thinkingOpen, textOpen) = (0, false, false);
        // A thinking block ends with its (empty) signature, as Anthropic's streams end one.
        async Task CloseThinkingAsync()
        {
            await SendAsync(new StreamEvent("content_block_delta") { Index = index, Delta = new StreamDelta("signature_delta", Signature: "") }).ConfigureAwait(false);
            await SendAsync(new StreamEvent("content_block_stop") { Index = index++ }).ConfigureAwait(false);
            thinkingOpen = false;
        }

        for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
        {
            var update = updates.Current;
            if (update.Reasoning.Length > 0)
            {
                if (!thinkingOpen)
                {
                    await SendAsync(new StreamEvent("content_block_start") { Index = index, ContentBlock = ContentBlock.ForThinking("") }).ConfigureAwait(false);
                    thinkingOpen = true;
                }

                await SendAsync(new StreamEvent("content_block_delta") { Index = index, Delta = new StreamDelta("thinking_delta", Thinking: update.Reasoning) }).ConfigureAwait(false);
            }

            var text = update.Result is { } final && request.Tools.Count > 0 ? final.Content : update.Text;
            if (text.Length > 0 || (update.Result is { ToolCalls.Count: 0 } && !textOpen))
            {
                if (thinkingOpen)
                {
                    await CloseThinkingAsync().ConfigureAwait(false);
                }

                if (!textOpen)
                {
                    await SendAsync(new StreamEvent("content_block_start") { Index = index, ContentBlock = ContentBlock.ForText("") }).ConfigureAwait(false);
                    textOpen = true;
                }

                if (text.Length > 0)
                {
                    await SendAsync(new StreamEvent("content_block_delta") { Index = index, Delta = new StreamDelta("text_delta", Text: text) }).ConfigureAwait(false);
                }
            }

            if (update.Result is not { } result)
            {
                continue;
            }

            if (thinkingOpen)
            {
                await CloseThinkingAsync().ConfigureAwait(false);
            }

            if (textOpen)
            {
                await SendAsync(new StreamEvent("content_block_stop") { Index = index++ }).ConfigureAwait(false);
            }

            foreach (var call in result.ToolCalls)
            {
                await SendAsync(new StreamEvent("content_block_start") { Index = index, ContentBlock = new ContentBlock("tool_use", Id: call.Id, Name: call.Name, Input: EmptyInput) }).ConfigureAwait(false);
                await SendAsync(new StreamEvent("content_block_delta") { Index = index, Delta = new StreamDelta("input_json_delta", PartialJson: call.Arguments) }).ConfigureAwait(false);
                await SendAsync(new StreamEvent("content_block_stop") { Index = index++ }).ConfigureAwait(false);
            }

            await SendAsync(new StreamEvent("message_delta")
            {
                Delta = new StreamDelta(StopReason: StopReason(result), StopSequence: result.StopSequence),
                Usage = Usage(result),
            }).ConfigureAwait(false);
            await SendAsync(new StreamEvent("message_stop")).ConfigureAwait(false);
        }
    }

    public static async Task<IResult> CountTokensAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var request = MessagesRequestReader.Read(body, context, countOnly: true);
        var count = await backend.CountTokensAsync(request.Model, request.Prompt with { Tools = [.. request.Tools.Select(EngineMapping.ToContract)], Think = request.Think }, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new TokenCount(count), AnthropicJsonContext.Default.TokenCount);
    }

    private static Message Message(string id, string model, BackendResult result)
    {
        List<ContentBlock> content = result.Reasoning.Length > 0 ? [ContentBlock.ForThinking(result.Reasoning)] : [];
        if (result.Content.Length > 0 || result.ToolCalls.Count == 0)
        {
            content.Add(ContentBlock.ForText(result.Content));
        }

        foreach (var call in result.ToolCalls)
        {
            using var input = JsonDocument.Parse(call.Arguments);
            content.Add(new ContentBlock("tool_use", Id: call.Id, Name: call.Name, Input: input.RootElement.Clone()));
        }

        return new Message(id, model, content, StopReason(result), result.StopSequence, Usage(result));
    }

    private static MessageUsage Usage(BackendResult result) =>
        new(result.Generation.PromptTokens - result.Generation.CachedPromptTokens, result.Generation.CompletionTokens, result.Generation.CachedPromptTokens);

    private static string StopReason(BackendResult result) => result.Finish switch
    {
        BackendFinish.ToolCalls => "tool_use",
        BackendFinish.Length => "max_tokens",
        _ when result.StopSequence is not null => "stop_sequence",
        _ => "end_turn",
    };

    private static readonly JsonElement EmptyInput = JsonDocument.Parse("{}").RootElement.Clone();
}
