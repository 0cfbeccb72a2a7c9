using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ModelRunner.Distribution.Testing;

/// <summary>
/// A loopback HTTP server with the Hugging Face Hub's URL layout, for one repository: the model API
/// (<c>/api/models/{org}/{repo}/revision/{revision}</c>, with per-file size and LFS SHA-256) and resolve URLs
/// (<c>/{org}/{repo}/resolve/{revision}/{path}</c>), which redirect to a CDN-like path the way the Hub does. It can
/// require a bearer token (a gated repository) and can ignore <c>Range</c> (a server that cannot resume).
/// </summary>
public sealed class HubServer : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private readonly WebApplication _app;
    private int _downloads;

    private HubServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>How many file downloads (CDN requests) were served, resumed ones included.</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>Serves <paramref name="files"/> as the repository <paramref name="repository"/> (<c>org/name</c>, case as the Hub has it).</summary>
    public static async Task<HubServer> StartAsync(string repository, IReadOnlyList<HubFileSource> files, string? requiredToken = null, bool ignoreRange = false)
    {
        var entries = files.Select(f => (File: f, Sha256: Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(f.LocalPath))), Size: new FileInfo(f.LocalPath).Length)).ToArray();
        HubServer? server = null;
        var (app, baseUri) = await LoopbackHost.StartAsync(web =>
        {
            bool Allowed(HttpContext context) => requiredToken is null || context.Request.Headers.Authorization.ToString() == $"Bearer {requiredToken}";

            web.MapGet("/api/models/{org}/{name}/revision/{revision}", (HttpContext context, string org, string name, string revision) =>
            {
                if ($"{org}/{name}" != repository || revision is not ("main" or Commit))
                {
                    return Results.NotFound();
                }

                if (!Allowed(context))
                {
                    return Results.Unauthorized();
                }

                var siblings = new JsonArray { new JsonObject { ["rfilename"] = "README.md" } };
                foreach (var (file, sha, size) in entries)
                {
                    siblings.Add(new JsonObject
                    {
                        ["rfilename"] = file.Name,
                        ["size"] = size,
                        ["blobId"] = sha[..40],
                        ["lfs"] = new JsonObject { ["sha256"] = sha, ["size"] = size, ["pointerSize"] = 134 },
                    });
                }

                return Results.Json(new JsonObject
                {
                    ["id"] = repository,
                    ["modelId"] = repository,
                    ["sha"] = Commit,
                    ["lastModified"] = "2025-01-02T03:04:05.000Z",
                    ["siblings"] = siblings,
                });
            });

            web.MapGet("/{org}/{name}/resolve/{revision}/{**path}", (HttpContext context, string org, string name, string revision, string path) =>
            {
                var entry = entries.FirstOrDefault(e => e.File.Name == path);
                if ($"{org}/{name}" != repository || revision is not ("main" or Commit) || entry.File is null)
                {
                    return Results.NotFound();
                }

                return Allowed(context) ? Results.Redirect($"/cdn/{entry.Sha256}") : Results.Unauthorized();
            });

            web.MapGet("/cdn/{sha256}", (string sha256) =>
            {
                var entry = entries.FirstOrDefault(e => e.Sha256 == sha256);
                if (entry.File is null)
                {
                    return Results.NotFound();
                }

                Interlocked.Increment(ref server!._downloads);
                return Results.File(entry.File.LocalPath, "application/octet-stream", enableRangeProcessing: !ignoreRange);
            });
        }).ConfigureAwait(false);
        server = new HubServer(app, baseUri);
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
