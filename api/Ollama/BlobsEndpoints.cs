using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ModelRunner.Distribution;
using ModelRunner.Distribution.References;

namespace ModelRunner.Api.Ollama;

/// <summary><c>HEAD /api/blobs/:digest</c> and <c>POST /api/blobs/:digest</c>: files for <c>/api/create</c>, as Ollama's client uploads them.</summary>
internal static class BlobsEndpoints
{
    /// <summary>200 when the blob is here (uploaded, or a layer of a stored model), else 404.</summary>
    public static IResult Head(string digest, OllamaBlobs blobs, IModelDistribution distribution) =>
        blobs.Find(digest) is not null || (OciDigest.TryParse(digest, out var parsed) && distribution.Store.FindBlobPath(parsed) is not null)
            ? Results.Ok()
            : Results.NotFound();

    /// <summary>201 when stored, 200 when it already was, 400 when the body does not hash to the digest.</summary>
    public static async Task<IResult> PostAsync(string digest, HttpContext context, OllamaBlobs blobs)
    {
        // A GGUF is gigabytes: this route lifts the 10 MiB body cap for itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var created = await blobs.SaveAsync(digest, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        return created ? Results.StatusCode(StatusCodes.Status201Created) : Results.Ok();
    }
}
