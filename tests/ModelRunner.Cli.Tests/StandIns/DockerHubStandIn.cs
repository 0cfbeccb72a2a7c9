using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelRunner.Distribution.Testing;

namespace ModelRunner.Cli.Tests.StandIns;

/// <summary>
/// Docker Hub's repository listing as its API documents it, for the <c>ai</c> namespace only:
/// <c>GET /v2/namespaces/ai/repositories?page=&amp;page_size=&amp;ordering=</c> answering
/// <c>{count, next, previous, results:[{name, namespace, description, is_private, star_count, pull_count, last_updated, …}]}</c>,
/// with absolute <c>next</c> links. Docker Hub is not reachable from the tests; this answers in its shape.
/// </summary>
internal sealed class DockerHubStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DockerHubStandIn(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every query string it was asked, in order.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    public static async Task<DockerHubStandIn> StartAsync(IReadOnlyList<(string Name, string Description, long Pulls, bool Private)> repositories)
    {
        DockerHubStandIn? standIn = null;
        var (app, address) = await LoopbackHost.StartAsync(web => web.MapGet("/v2/namespaces/{ns}/repositories", (string ns, HttpContext context) =>
        {
            standIn!.Queries.Enqueue(context.Request.QueryString.Value ?? "");
            if (ns != "ai")
            {
                return Results.NotFound(new JsonObject { ["message"] = "namespace not found" });
            }

            var size = int.TryParse(context.Request.Query["page_size"], CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, 1000) : 10;
            var page = int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var p) ? Math.Max(1, p) : 1;
            var ordered = context.Request.Query["ordering"] == "-pull_count" ? repositories.OrderByDescending(r => r.Pulls).ToList() : [.. repositories];
            var results = new JsonArray([.. ordered.Skip((page - 1) * size).Take(size).Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["namespace"] = "ai",
                ["repository_type"] = "image",
                ["status"] = 1,
                ["description"] = r.Description,
                ["is_private"] = r.Private,
                ["star_count"] = r.Pulls / 1000,
                ["pull_count"] = r.Pulls,
                ["last_updated"] = "2026-11-01T10:00:00.000000Z",
                ["content_types"] = new JsonArray("model"),
            })]);
            var self = $"{standIn.Address}v2/namespaces/ai/repositories?page_size={size}&ordering={context.Request.Query["ordering"]}";
            return Results.Json(new JsonObject
            {
                ["count"] = repositories.Count,
                ["next"] = page * size < repositories.Count ? $"{self}&page={page + 1}" : null,
                ["previous"] = page > 1 ? $"{self}&page={page - 1}" : null,
                ["results"] = results,
            });
        }));
        standIn = new DockerHubStandIn(app, address);
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
