using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelRunner.Distribution;
using ModelRunner.Distribution.References;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// This node's model store, served read-only as an OCI distribution registry (<c>/v2/…</c>):
/// manifests by tag or digest, blobs by digest with <c>Range</c>. Peers fetch models from it
/// with the same resumable, digest-verifying client that pulls from any registry.
/// </summary>
internal static class ModelRegistryEndpoints
{
    private const string Manifests = "/manifests/";
    private const string Blobs = "/blobs/";

    public static void MapModelRegistry(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/v2/", ["GET", "HEAD"], (HttpContext context) =>
        {
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            return Results.Json(new Dictionary<string, string>());
        });
        endpoints.MapMethods("/v2/{**path}", ["GET", "HEAD"], Serve);
    }

    private static IResult Serve(string path, HttpContext context, IModelDistribution distribution)
    {
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        if (path.LastIndexOf(Blobs, StringComparison.Ordinal) is var blob and > 0)
        {
            if (!OciDigest.TryParse(path[(blob + Blobs.Length)..], out var digest) || distribution.Store.OpenBlob(digest) is not { } stream)
            {
                return Error(404, "BLOB_UNKNOWN", "blob unknown to this node");
            }

            context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
            return Results.File(stream, "application/octet-stream", enableRangeProcessing: true);
        }

        if (path.LastIndexOf(Manifests, StringComparison.Ordinal) is var manifest and > 0)
        {
            var repository = path[..manifest];
            var reference = path[(manifest + Manifests.Length)..];
            var wanted = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : $"{repository}:{reference}";
            if (distribution.Store.FindManifest(wanted) is not { } found)
            {
                return Error(404, "MANIFEST_UNKNOWN", $"{repository}:{reference} is not in this node's store");
            }

            context.Response.Headers["Docker-Content-Digest"] = found.Digest;
            return Results.Bytes(found.Content.ToArray(), found.MediaType);
        }

        return Error(404, "NAME_UNKNOWN", "not a manifest or blob path");
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new RegistryErrors([new RegistryError(code, message)]), ClusterJsonContext.Default.RegistryErrors, statusCode: status);
}
