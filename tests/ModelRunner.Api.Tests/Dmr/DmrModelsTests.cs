using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelRunner.Distribution.Testing;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Api.Tests.Dmr;

/// <summary>DMR's model management routes over raw HTTP; each test has its own server so deletes stay local.</summary>
public sealed class DmrModelsTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task List_GetByShortName_AndUnknownIsA404InPlainText()
    {
        await using var server = await TestServer.StartAsync();

        var list = await JsonAsync(await server.Http.GetAsync("/models"));
        var model = list.EnumerateArray().Single(item => item.GetProperty("tags")[0].GetString() == TestServer.Model + ":latest");
        var byShortName = await JsonAsync(await server.Http.GetAsync("/models/tiny-random"));
        var missing = await server.Http.GetAsync("/models/ai/nowhere");

        Assert.StartsWith("sha256:", model.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("gguf", model.GetProperty("config").GetProperty("format").GetString());
        Assert.Equal("llama", model.GetProperty("config").GetProperty("architecture").GetString());
        Assert.Equal(model.GetProperty("id").GetString(), byShortName.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("nowhere", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_ThenDelete_UntagsFirstAndDeletesWithTheLastTag()
    {
        await using var server = await TestServer.StartAsync();

        var tagged = await server.Http.PostAsync("/models/ai/tiny-random/tag?repo=me/tiny&tag=v2", null);
        Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        var byTag = await JsonAsync(await server.Http.GetAsync("/models/me/tiny:v2"));
        Assert.Contains("me/tiny:v2", byTag.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));

        var untag = await JsonAsync(await server.Http.DeleteAsync("/models/me/tiny:v2"));
        var delete = await JsonAsync(await server.Http.DeleteAsync("/models/ai/tiny-random"));

        Assert.Equal("me/tiny:v2", untag[0].GetProperty("Untagged").GetString());
        Assert.Equal(byTag.GetProperty("id").GetString(), delete.EnumerateArray().Last().GetProperty("Deleted").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/models/ai/tiny-random")).StatusCode);
    }

    [Fact]
    public async Task Delete_ALoadedModel_ConflictsUnlessForced()
    {
        await using var server = await TestServer.StartAsync();
        await server.Http.PostAsJsonAsync("/api/generate", new { model = TestServer.Model });

        var refused = await server.Http.DeleteAsync("/models/ai/tiny-random");
        var forced = await server.Http.DeleteAsync("/models/ai/tiny-random?force=true");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("loaded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Empty((await JsonAsync(await server.Http.GetAsync("/engines/ps"))).EnumerateArray());
    }

    [Fact]
    public async Task CreatePullsFromARegistry_PushSendsToIt_PurgeEmptiesTheStore()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var server = await TestServer.StartAsync();
        var reference = $"{registry.Host}/test/created:v1";
        await server.PackageAsync(reference, TestModelShape.Tiny, seed: 5);

        var pushed = await server.Http.PostAsync($"/models/{reference}/push", null);
        var pushLines = (await pushed.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("success", JsonDocument.Parse(pushLines[^1]).RootElement.GetProperty("type").GetString());
        await server.Http.DeleteAsync($"/models/{reference}");

        var created = await server.Http.PostAsJsonAsync("/models/create", new { from = reference });
        var lines = (await created.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

        Assert.Equal("success", lines[^1].GetProperty("type").GetString());
        Assert.Contains(lines, line => line.GetProperty("type").GetString() == "progress" && line.TryGetProperty("layer", out var layer) && layer.GetProperty("current").GetInt64() == layer.GetProperty("size").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/models/{reference}")).StatusCode);

        var failed = await server.Http.PostAsJsonAsync("/models/create", new { from = $"{registry.Host}/test/absent:v1" });
        Assert.True(failed.StatusCode == HttpStatusCode.NotFound || (await failed.Content.ReadAsStringAsync()).Contains("\"type\":\"error\"", StringComparison.Ordinal));

        var purged = await server.Http.DeleteAsync("/models/purge");
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Empty((await JsonAsync(await server.Http.GetAsync("/models"))).EnumerateArray());
    }
}
