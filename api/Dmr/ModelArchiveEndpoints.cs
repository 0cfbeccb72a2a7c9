using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;

namespace ModelRunner.Api.Dmr;

/// <summary>
/// Moving models in and out of the store whole, as DMR's <c>package</c> does: <c>GET /models/{name}/export</c> (a
/// tar), <c>POST /models/load</c> (that tar as the body) and <c>POST /models/{name}/repackage</c>.
/// </summary>
internal static class ModelArchiveEndpoints
{
    /// <summary>GET <c>/models/{name}/export</c>: the model as a tar of <c>blobs/sha256/…</c> and <c>manifest.json</c>.</summary>
    public static async Task ExportAsync(string name, HttpContext context, IModelDistribution distribution)
    {
        // Found before the first byte, so an unknown model is a 404 rather than a broken download.
        var model = distribution.Store.Find(name) ?? throw ApiException.NotFound($"model '{name}' not found");
        context.Response.ContentType = "application/x-tar";
        var file = new ContentDispositionHeaderValue("attachment");
        file.SetHttpFileName($"{(model.Tags.Count > 0 ? model.Tags[0] : model.ShortId).Replace('/', '_').Replace(':', '_')}.tar");
        context.Response.Headers.ContentDisposition = file.ToString();
        await distribution.ExportAsync(model.Id, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// POST <c>/models/load</c>: adds the model in the tar body (as export writes it), verifying every blob; an
    /// optional <c>?tag=</c> (repeatable) tags it, else it stays untagged for a following <c>/tag</c> as DMR's client does.
    /// </summary>
    public static async Task LoadAsync(HttpContext context, IModelDistribution distribution)
    {
        // A model is gigabytes: this route alone lifts the 10 MiB body cap (before anything reads the body).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var tags = context.Request.Query["tag"].Where(tag => !string.IsNullOrEmpty(tag)).Select(tag => tag!).ToArray();
        Distribution.Store.LocalModel model;
        try
        {
            model = await distribution.LoadAsync(context.Request.Body, tags, null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or UnsupportedArtifactException or DigestMismatchException)
        {
            throw ApiException.Invalid($"the body is not a loadable model archive: {e.Message}");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-ndjson";
        var line = new ProgressLine("success", $"Model loaded successfully ({model.Id})");
        await context.Response.WriteAsync(JsonSerializer.Serialize(line, DmrJsonContext.Default.ProgressLine) + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// POST <c>/models/{name}/repackage</c> <c>{target, context_size?, chat_template?, format?}</c>: a variant of the
    /// model over the same weights. <c>chat_template</c> is the template's text; <c>format</c> is <c>docker</c> or <c>cncf</c>.
    /// </summary>
    public static async Task RepackageAsync(string source, HttpContext context, IModelDistribution distribution)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var target = body.String("target") is { Length: > 0 } given ? given : throw ApiException.Invalid("'target' is required", "target");
        var request = new RepackageRequest
        {
            Tags = [target],
            ContextSize = body.Int("context_size", 1),
            ChatTemplate = body.String("chat_template"),
            Format = body.String("format") is { } format ? ParseFormat(format, "format") : null,
        };
        var model = await distribution.RepackageAsync(source, request, context.RequestAborted).ConfigureAwait(false);
        var answer = new RepackageResponse($"Model repackaged successfully as \"{target}\"", source, target, model.Id);
        await Results.Json(answer, DmrJsonContext.Default.RepackageResponse, statusCode: StatusCodes.Status201Created).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary><c>docker</c> (DMR's media types) or <c>cncf</c> (CNCF ModelPack's), as <c>package --format</c> names them.</summary>
    public static ArtifactFormat ParseFormat(string format, string field) => format.ToLowerInvariant() switch
    {
        "docker" => ArtifactFormat.Docker,
        "cncf" => ArtifactFormat.ModelPack,
        _ => throw ApiException.Invalid($"'{field}' must be \"docker\" or \"cncf\", not \"{format}\"", field),
    };
}
