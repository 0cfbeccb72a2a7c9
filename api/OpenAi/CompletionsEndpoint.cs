using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.OpenAi;

/// <summary>
/// <c>POST /completions</c>: raw text completion of each prompt (a string or an array of them,
/// one choice each), whole or streamed; <c>echo</c> puts the prompt in front of the answer.
/// </summary>
internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var prompts = body.Strings("prompt") ?? throw ApiException.Invalid("'prompt' is required", "prompt");
        var echo = body.Bool("echo") ?? false;
        var stream = StreamSettings.Read(body);
        var settings = SamplingReader.Read(body, context) with { Model = model };
        var id = OpenAiIds.New("cmpl");
        var created = OpenAiIds.Now;

        EventStream? events = null;
        var choices = new List<CompletionChoice>();
        GenerationSummary? total = null;
        for (var index = 0; index < prompts.Count; index++)
        {
            var request = settings with { Prompt = ModelPrompt.Raw(prompts[index]) };
            await using var updates = backend.GenerateAsync(request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
            var more = await updates.MoveNextAsync().ConfigureAwait(false);
            if (stream.Stream)
            {
                events ??= await EventStream.StartSseAsync(context).ConfigureAwait(false);
                if (echo)
                {
                    await SendAsync(events, new Completion(id, created, model, [new CompletionChoice(index, prompts[index], null, null)])).ConfigureAwait(false);
                }
            }

            List<TokenProbability>? logprobs = null;
            BackendResult? result = null;
            for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
            {
                var update = updates.Current;
                result = update.Result ?? result;
                if (update.Logprobs is { } some)
                {
                    (logprobs ??= []).AddRange(some);
                }

                if (events is not null && (update.Text.Length > 0 || update.Result is not null))
                {
                    var finish = update.Result is { } last ? OpenAiResults.FinishReason(last.Finish) : null;
                    await SendAsync(events, new Completion(id, created, model, [new CompletionChoice(index, update.Text, OpenAiResults.Logprobs(update.Logprobs), finish)])).ConfigureAwait(false);
                }
            }

            var generation = (result ?? throw new InvalidOperationException("the generation ended without a result")).Generation;
            total = total is null ? generation : total with
            {
                PromptTokens = total.PromptTokens + generation.PromptTokens,
                CachedPromptTokens = total.CachedPromptTokens + generation.CachedPromptTokens,
                CompletionTokens = total.CompletionTokens + generation.CompletionTokens,
                PromptDuration = total.PromptDuration + generation.PromptDuration,
                GenerationDuration = total.GenerationDuration + generation.GenerationDuration,
            };
            choices.Add(new CompletionChoice(index, (echo ? prompts[index] : "") + result.Content, OpenAiResults.Logprobs(logprobs), OpenAiResults.FinishReason(result.Finish)));
        }

        if (events is not null)
        {
            if (stream.IncludeUsage && total is not null)
            {
                await SendAsync(events, new Completion(id, created, model, [], OpenAiResults.Usage(total))).ConfigureAwait(false);
            }

            await events.DataAsync("[DONE]").ConfigureAwait(false);
            return;
        }

        var usage = total is null ? new Usage(0, 0, 0, new PromptTokensDetails(0)) : OpenAiResults.Usage(total);
        var timings = total is null ? null : OpenAiResults.Timings(total);
        await Results.Json(new Completion(id, created, model, choices, usage, timings), OpenAiJsonContext.Default.Completion).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static Task SendAsync(EventStream events, Completion chunk) =>
        events.DataAsync(JsonSerializer.Serialize(chunk, OpenAiJsonContext.Default.Completion));
}
