using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Api.Requests;

namespace ModelRunner.Api.OpenAi;

/// <summary><c>POST /embeddings</c>: one vector per input, as floats or base64 (<c>encoding_format</c>).</summary>
internal static class EmbeddingsEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var inputs = body.Strings("input") ?? throw ApiException.Invalid("'input' is required", "input");
        if (inputs.Count == 0 || inputs.Any(input => input.Length == 0))
        {
            throw ApiException.Invalid("'input' must hold at least one non-empty string", "input");
        }

        var base64 = body.String("encoding_format") switch
        {
            null or "float" => false,
            "base64" => true,
            var other => throw ApiException.Invalid($"'encoding_format' must be float or base64, not '{other}'", "encoding_format"),
        };
        var origin = new RequestOrigin(context.Request.Method, context.Request.Path, body.Json.GetRawText());
        var result = await backend.EmbedAsync(model, inputs, null, origin, context.RequestAborted).ConfigureAwait(false);
        var data = result.Vectors.Select((vector, index) => new EmbeddingEntry(index, base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) : vector)).ToList();
        var list = new EmbeddingList(data, model, new EmbeddingUsage(result.PromptTokens, result.PromptTokens));
        await Results.Json(list, OpenAiJsonContext.Default.EmbeddingList).ExecuteAsync(context).ConfigureAwait(false);
    }
}
