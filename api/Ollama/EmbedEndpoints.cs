using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Api.Requests;

namespace ModelRunner.Api.Ollama;

/// <summary><c>/api/embed</c> (inputs → embeddings) and the legacy <c>/api/embeddings</c> (prompt → embedding).</summary>
internal static class EmbedEndpoints
{
    public static async Task<IResult> EmbedAsync(HttpContext context, IModelBackend backend)
    {
        var started = Stopwatch.GetTimestamp();
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var inputs = body.Strings("input") ?? throw ApiException.Invalid("'input' is required", "input");
        var origin = new RequestOrigin(context.Request.Method, context.Request.Path, body.Json.GetRawText());
        var result = await backend.EmbedAsync(model, inputs, OllamaRequestReader.KeepAliveOf(body), origin, context.RequestAborted).ConfigureAwait(false);
        var total = OllamaDurations.Nanoseconds(Stopwatch.GetElapsedTime(started));
        return Results.Json(new EmbedResponse(model, result.Vectors, total, 0, result.PromptTokens), OllamaJsonContext.Default.EmbedResponse);
    }

    public static async Task<IResult> EmbeddingsAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var prompt = body.RequiredString("prompt");
        var origin = new RequestOrigin(context.Request.Method, context.Request.Path, body.Json.GetRawText());
        var result = await backend.EmbedAsync(model, [prompt], OllamaRequestReader.KeepAliveOf(body), origin, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new EmbeddingResponse(result.Vectors[0]), OllamaJsonContext.Default.EmbeddingResponse);
    }
}
