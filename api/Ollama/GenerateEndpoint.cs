using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Ollama;

/// <summary>
/// <c>POST /api/generate</c>: a prompt through the chat template (or as is with <c>raw</c>);
/// an empty prompt loads the model, or unloads it with keep_alive 0.
/// </summary>
internal static class GenerateEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var request = OllamaRequestReader.Read(body, context);
        if (body.Has("images"))
        {
            throw ApiException.Invalid("'images': this server understands text only", "images");
        }

        var prompt = body.String("prompt") ?? "";
        if (prompt.Length == 0)
        {
            var reason = await OllamaLoading.LoadOrUnloadAsync(backend, request, context.RequestAborted).ConfigureAwait(false);
            await Results.Json(new GenerateResponse(request.Model, DateTimeOffset.UtcNow, "", true) { DoneReason = reason }, OllamaJsonContext.Default.GenerateResponse).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var system = body.String("system");
        request = request with
        {
            Prompt = body.Bool("raw") == true
                ? ModelPrompt.Raw(prompt)
                : ModelPrompt.Chat(system is { Length: > 0 } ? [new PromptMessage("system", system), new PromptMessage("user", prompt)] : [new PromptMessage("user", prompt)]),
        };
        await OllamaGeneration.RunAsync(
            context,
            backend,
            request,
            OllamaRequestReader.Streams(body),
            (text, thinking) => JsonSerializer.Serialize(new GenerateResponse(request.Model, DateTimeOffset.UtcNow, text, false) { Thinking = thinking.Length > 0 ? thinking : null }, OllamaJsonContext.Default.GenerateResponse),
            (result, text, thinking) => JsonSerializer.Serialize(
                new GenerateResponse(request.Model, DateTimeOffset.UtcNow, text, true)
                {
                    Thinking = thinking.Length > 0 ? thinking : null,
                    DoneReason = OllamaDurations.DoneReason(result.Finish),
                    TotalDuration = OllamaDurations.Nanoseconds(result.TotalDuration),
                    LoadDuration = OllamaDurations.Nanoseconds(result.LoadDuration),
                    PromptEvalCount = result.Generation.PromptTokens,
                    PromptEvalDuration = OllamaDurations.Nanoseconds(result.Generation.PromptDuration),
                    EvalCount = result.Generation.CompletionTokens,
                    EvalDuration = OllamaDurations.Nanoseconds(result.Generation.GenerationDuration),
                },
                OllamaJsonContext.Default.GenerateResponse)).ConfigureAwait(false);
    }
}
