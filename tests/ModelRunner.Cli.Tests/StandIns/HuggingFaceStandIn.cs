using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelRunner.Distribution.Testing;

namespace ModelRunner.Cli.Tests.StandIns;

/// <summary>
/// The Hugging Face Hub's model search as its API documents it: <c>GET /api/models?search=&amp;filter=&amp;sort=&amp;direction=&amp;limit=</c>
/// answering a JSON array of <c>{_id, id, modelId, likes, downloads, tags, pipeline_tag, library_name, createdAt, private}</c>.
/// It filters by the <c>gguf</c> tag and a case-insensitive substring of the id, as the Hub does; the Hub is not
/// reachable from the tests.
/// </summary>
internal sealed class HuggingFaceStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HuggingFaceStandIn(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Queries { get; } = new();

    public static async Task<HuggingFaceStandIn> StartAsync(IReadOnlyList<(string Id, long Downloads, string[] Tags)> models)
    {
        HuggingFaceStandIn? standIn = null;
        var (app, address) = await LoopbackHost.StartAsync(web => web.MapGet("/api/models", (HttpContext context) =>
        {
            standIn!.Queries.Enqueue(context.Request.QueryString.Value ?? "");
            var search = context.Request.Query["search"].ToString();
            var filter = context.Request.Query["filter"].ToString();
            var limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 1000;
            var found = models
                .Where(m => search.Length == 0 || m.Id.Contains(search, StringComparison.OrdinalIgnoreCase))
                .Where(m => filter.Length == 0 || m.Tags.Contains(filter))
                .OrderByDescending(m => context.Request.Query["sort"] == "downloads" ? m.Downloads : 0)
                .Take(limit)
                .Select(m => (JsonNode)new JsonObject
                {
                    ["_id"] = Convert.ToHexStringLower(BitConverter.GetBytes(m.Id.GetHashCode(StringComparison.Ordinal))),
                    ["id"] = m.Id,
                    ["modelId"] = m.Id,
                    ["likes"] = m.Downloads / 100,
                    ["downloads"] = m.Downloads,
                    ["tags"] = new JsonArray([.. m.Tags.Select(t => (JsonNode)t)]),
                    ["pipeline_tag"] = "text-generation",
                    ["library_name"] = "gguf",
                    ["createdAt"] = "2026-10-01T00:00:00.000Z",
                    ["private"] = false,
                });
            return Results.Json(new JsonArray([.. found]));
        }));
        standIn = new HuggingFaceStandIn(app, address);
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
