using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Grains.Models;
using ModelRunner.Api.Backend;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Api.OpenAi;

/// <summary><c>POST /chat/completions</c>: one answer, whole or as SSE chunks ending with <c>[DONE]</c>.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var (request, stream) = ChatRequestReader.Read(body, context);
        var id = OpenAiIds.New("chatcmpl");
        var created = OpenAiIds.Now;

        // The first update is awaited before anything is written, so an unknown model or a bad
        // setting is still answered with its own status rather than inside a started stream.
        await using var updates = backend.GenerateAsync(request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        var hasFirst = await updates.MoveNextAsync().ConfigureAwait(false);
        if (!stream.Stream)
        {
            await WholeAsync(context, updates, hasFirst, id, created, request.Model).ConfigureAwait(false);
            return;
        }

        var events = await EventStream.StartSseAsync(context).ConfigureAwait(false);
        async Task SendAsync(ChatChunk chunk) => await events.DataAsync(JsonSerializer.Serialize(chunk, OpenAiJsonContext.Default.ChatChunk)).ConfigureAwait(false);

        await SendAsync(new ChatChunk(id, created, request.Model, [new ChunkChoice(0, new ChunkDelta("assistant", ""), null, null)])).ConfigureAwait(false);
        for (var more = hasFirst; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
        {
            var update = updates.Current;
            if (update.Reasoning.Length > 0)
            {
                await SendAsync(new ChatChunk(id, created, request.Model, [new ChunkChoice(0, new ChunkDelta(ReasoningContent: update.Reasoning), null, null)])).ConfigureAwait(false);
            }

            if (update.Text.Length > 0 || update.Logprobs is not null)
            {
                await SendAsync(new ChatChunk(id, created, request.Model, [new ChunkChoice(0, new ChunkDelta(Content: update.Text), OpenAiResults.Logprobs(update.Logprobs), null)])).ConfigureAwait(false);
            }

            if (update.Result is { } result)
            {
                var calls = OpenAiResults.ToolCalls(result.ToolCalls, indexed: true);
                var delta = calls is null ? new ChunkDelta() : new ChunkDelta(ToolCalls: calls);
                await SendAsync(new ChatChunk(id, created, request.Model, [new ChunkChoice(0, delta, null, OpenAiResults.FinishReason(result.Finish))], Timings: OpenAiResults.Timings(result.Generation))).ConfigureAwait(false);
                if (stream.IncludeUsage)
                {
                    await SendAsync(new ChatChunk(id, created, request.Model, [], OpenAiResults.Usage(result.Generation))).ConfigureAwait(false);
                }
            }
        }

        await events.DataAsync("[DONE]").ConfigureAwait(false);
    }

    private static async Task WholeAsync(HttpContext context, IAsyncEnumerator<BackendUpdate> updates, bool hasFirst, string id, long created, string model)
    {
        List<TokenProbability>? logprobs = null;
        BackendResult? result = null;
        for (var more = hasFirst; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
        {
            var update = updates.Current;
            if (update.Logprobs is { } some)
            {
                (logprobs ??= []).AddRange(some);
            }

            result = update.Result ?? result;
        }

        if (result is null)
        {
            throw new InvalidOperationException("the generation ended without a result");
        }

        var calls = OpenAiResults.ToolCalls(result.ToolCalls);
        var message = new AssistantMessage(calls is null ? result.Content : NullIfEmpty(result.Content), calls) { ReasoningContent = NullIfEmpty(result.Reasoning) };
        var completion = new ChatCompletion(id, created, model, [new ChatChoice(0, message, OpenAiResults.Logprobs(logprobs), OpenAiResults.FinishReason(result.Finish))], OpenAiResults.Usage(result.Generation), OpenAiResults.Timings(result.Generation));
        await Results.Json(completion, OpenAiJsonContext.Default.ChatCompletion).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
