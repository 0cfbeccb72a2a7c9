using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Cluster;
using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Store;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Dmr;

/// <summary>DMR's model management: <c>/models</c> list, get, create (pull), tag, push, delete, purge.</summary>
internal static class ModelsEndpoints
{
    /// <summary>GET <c>/models</c>: every model of the cluster (of this node when alone).</summary>
    public static async Task<IResult> ListAsync(ClusterCatalog catalog, ModelSettingsStore settings, CancellationToken cancellationToken)
    {
        var models = new List<DmrModel>();
        foreach (var model in await catalog.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add(await DescribeAsync(model, settings, cancellationToken).ConfigureAwait(false));
        }

        return Results.Json<IReadOnlyList<DmrModel>>(models, DmrJsonContext.Default.IReadOnlyListDmrModel);
    }

    /// <summary>GET <c>/models/{name}</c>; a short name matches (<c>smollm2</c> finds <c>ai/smollm2:latest</c>); <c>?remote=true</c> asks the registry; <c>/models/{name}/export</c> is the model as a tar.</summary>
    public static async Task<IResult> GetAsync(string name, HttpContext context, IModelDistribution distribution, ModelSettingsStore settings)
    {
        name = Uri.UnescapeDataString(name);
        if (name.EndsWith("/export", StringComparison.Ordinal))
        {
            await ModelArchiveEndpoints.ExportAsync(name[..^"/export".Length], context, distribution).ConfigureAwait(false);
            return Results.Empty;
        }

        if (context.Request.Query["remote"] == "true")
        {
            var remote = await distribution.InspectRemoteAsync(name, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return Results.Json(DmrModels.From(remote.Id, [remote.Reference], remote.Created, remote.Config, null), DmrJsonContext.Default.DmrModel);
        }

        var model = distribution.Store.Find(name) ?? throw ApiException.NotFound($"model '{name}' not found");
        return Results.Json(await DescribeAsync(ListedModel.From(model), settings, context.RequestAborted).ConfigureAwait(false), DmrJsonContext.Default.DmrModel);
    }

    /// <summary>POST <c>/models/create</c> <c>{"from": "ai/x"}</c>: pulls, streaming JSON progress lines.</summary>
    public static async Task CreateAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        await TransferStream.WriteAsync(context, backend.PullAsync(body.RequiredString("from"), context.RequestAborted)).ConfigureAwait(false);
    }

    /// <summary>
    /// POST <c>/models/package</c> (our extension, behind <c>modelrunner package</c>): packages GGUF
    /// files on this machine into the store as <c>tag</c>.
    /// </summary>
    public static async Task<IResult> PackageAsync(HttpContext context, IModelDistribution distribution)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        string Existing(string path, string field) => File.Exists(path) ? path : throw ApiException.Invalid($"'{field}': no such file {path}", field);
        var request = new PackageRequest
        {
            GgufPaths = [.. (body.Strings("gguf") ?? throw ApiException.Invalid("'gguf' is required", "gguf")).Select(path => Existing(path, "gguf"))],
            LicensePaths = [.. (body.Strings("licenses") ?? []).Select(path => Existing(path, "licenses"))],
            ChatTemplatePath = body.String("chat_template") is { } template ? Existing(template, "chat_template") : null,
            MultimodalProjectorPath = body.String("mmproj") is { } mmproj ? Existing(mmproj, "mmproj") : null,
            Format = body.String("format") is { } format ? ModelArchiveEndpoints.ParseFormat(format, "format") : ArtifactFormat.Docker,
            ContextSize = body.Int("context_size", 1),
            Tags = [body.RequiredString("tag")],
        };
        var model = await distribution.PackageAsync(request, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        return Results.Json(DmrModels.From(model.Id, model.Tags, model.Created, model.Config, request.ContextSize), DmrJsonContext.Default.DmrModel, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>POST <c>/models/{name}/tag?repo=&amp;tag=</c>, <c>/models/{name}/push</c> and <c>/models/{name}/repackage</c> (names hold slashes, so one route reads the action off the end).</summary>
    public static async Task ActAsync(string path, HttpContext context, IModelDistribution distribution)
    {
        path = Uri.UnescapeDataString(path);
        if (path.EndsWith("/tag", StringComparison.Ordinal))
        {
            var source = path[..^"/tag".Length];
            var repo = context.Request.Query["repo"].ToString();
            var tag = context.Request.Query["tag"].ToString();
            if (repo.Length == 0)
            {
                throw ApiException.Invalid("the query parameter 'repo' is required", "repo");
            }

            distribution.Store.Tag(source, tag.Length > 0 ? $"{repo}:{tag}" : repo);
            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsync("Model tagged successfully\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (path.EndsWith("/push", StringComparison.Ordinal))
        {
            var reference = path[..^"/push".Length];
            _ = distribution.Store.Find(reference) ?? throw ApiException.NotFound($"model '{reference}' not found");
            await TransferStream.WriteAsync(context, distribution.PushAsync(reference, cancellationToken: context.RequestAborted)).ConfigureAwait(false);
            return;
        }

        if (path.EndsWith("/repackage", StringComparison.Ordinal))
        {
            await ModelArchiveEndpoints.RepackageAsync(path[..^"/repackage".Length], context, distribution).ConfigureAwait(false);
            return;
        }

        throw ApiException.NotFound($"no route for POST /models/{path}");
    }

    /// <summary>DELETE <c>/models/{name}</c>: untags, and deletes the model with its last tag, on every node that has it; a loaded model needs <c>?force=true</c>.</summary>
    public static async Task<IResult> DeleteAsync(string name, HttpContext context, ClusterCatalog catalog)
    {
        var removed = await catalog.RemoveAsync(Uri.UnescapeDataString(name), context.Request.Query["force"] == "true", context.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<DeleteLine> lines = [.. removed.Untagged.Select(tag => new DeleteLine(Untagged: tag)), .. removed.DeletedId is { } id ? [new DeleteLine(Deleted: id)] : Array.Empty<DeleteLine>()];
        return Results.Json(lines, DmrJsonContext.Default.IReadOnlyListDeleteLine);
    }

    /// <summary>DELETE <c>/models/purge</c>: every model, after unloading them.</summary>
    public static async Task<IResult> PurgeAsync(IModelDistribution distribution, IModelBackend backend, CancellationToken cancellationToken)
    {
        foreach (var status in await backend.LoadedAsync(cancellationToken).ConfigureAwait(false))
        {
            await backend.UnloadAsync(status.Id, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<DeleteLine> lines = [.. distribution.Store.Purge().Select(id => new DeleteLine(Deleted: id))];
        return Results.Json(lines, DmrJsonContext.Default.IReadOnlyListDeleteLine);
    }

    private static async Task<DmrModel> DescribeAsync(ListedModel model, ModelSettingsStore settings, CancellationToken cancellationToken)
    {
        var configured = await settings.GetAsync(model.Id, cancellationToken).ConfigureAwait(false);
        return DmrModels.From(model.Id, model.Tags, model.Created, model.Config, configured.ContextSize ?? model.Config.ContextSize);
    }
}
