using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelRunner.Api.Tests.Dmr;

/// <summary>DMR's export, load and repackage routes, which <c>package</c> uses to move models whole.</summary>
public sealed class DmrArchiveTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Export_Remove_Load_Tag_GivesBackTheSameUsableModel_PastTheBodyCap()
    {
        await using var server = await TestServer.StartAsync();
        var id = (await JsonAsync(await server.Http.GetAsync("/models/ai/tiny-random"))).GetProperty("id").GetString()!;

        var export = await server.Http.GetAsync("/models/ai/tiny-random/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/x-tar", export.Content.Headers.ContentType!.MediaType);
        var archive = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Http.DeleteAsync("/models/ai/tiny-random")).StatusCode);

        // An entry the loader ignores makes the body larger than the 10 MiB every other route is held to.
        using var padded = await WithPaddingAsync(archive, 11 << 20);
        using var content = new StreamContent(padded);
        content.Headers.ContentType = new("application/x-tar");
        var loaded = await server.Http.PostAsync("/models/load", content);
        Assert.True(loaded.StatusCode == HttpStatusCode.OK, await loaded.Content.ReadAsStringAsync());
        var line = JsonDocument.Parse((await loaded.Content.ReadAsStringAsync()).Trim()).RootElement;
        var tagged = await server.Http.PostAsync($"/models/{id}/tag?repo=ai/tiny-random&tag=latest", null);

        Assert.Equal("success", line.GetProperty("type").GetString());
        Assert.Contains(id, line.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        Assert.Equal(id, (await JsonAsync(await server.Http.GetAsync("/models/ai/tiny-random"))).GetProperty("id").GetString());
        var answer = await server.Http.PostAsJsonAsync("/v1/completions", new { model = TestServer.Model, prompt = "Hello", max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task Load_NotAnArchive_IsA400InPlainText_AndExportOfAnUnknownModelIsA404()
    {
        await using var server = await TestServer.StartAsync();

        var garbage = await server.Http.PostAsync("/models/load", new ByteArrayContent("not a tar archive, only text"u8.ToArray()));
        var missing = await server.Http.GetAsync("/models/ai/nowhere/export");

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.StartsWith("text/plain", garbage.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("model archive", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Repackage_NewContextSize_IsANewModel_AndBadInputIs4xx()
    {
        await using var server = await TestServer.StartAsync();

        var repackaged = await server.Http.PostAsJsonAsync("/models/ai/tiny-random/repackage", new { target = "me/tiny:1k", context_size = 1024 });
        var body = await JsonAsync(repackaged);
        var variant = await JsonAsync(await server.Http.GetAsync("/models/me/tiny:1k"));
        var noTarget = await server.Http.PostAsJsonAsync("/models/ai/tiny-random/repackage", new { context_size = 1024 });
        var badFormat = await server.Http.PostAsJsonAsync("/models/ai/tiny-random/repackage", new { target = "me/tiny:zip", format = "zip" });
        var unknown = await server.Http.PostAsJsonAsync("/models/ai/nowhere/repackage", new { target = "me/nowhere:v1" });

        Assert.Equal(HttpStatusCode.Created, repackaged.StatusCode);
        Assert.Equal("me/tiny:1k", body.GetProperty("target").GetString());
        Assert.Equal(body.GetProperty("id").GetString(), variant.GetProperty("id").GetString());
        Assert.Equal(1024, variant.GetProperty("config").GetProperty("context_size").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, noTarget.StatusCode);
        Assert.Contains("target", await noTarget.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // The packaged size is the variant's default when it loads (the tiny model was trained on more).
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsJsonAsync("/api/generate", new { model = "me/tiny:1k" })).StatusCode);
        var ps = await JsonAsync(await server.Http.GetAsync("/engines/ps"));
        Assert.Equal(1024, ps.EnumerateArray().Single(entry => entry.GetProperty("model").GetString() == "me/tiny:1k").GetProperty("context_size").GetInt32());
    }

    private static async Task<MemoryStream> WithPaddingAsync(byte[] archive, int bytes)
    {
        var output = new MemoryStream();
        await using (var reader = new TarReader(new MemoryStream(archive)))
        await using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "padding.bin") { DataStream = new MemoryStream(new byte[bytes]) });
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                await writer.WriteEntryAsync(entry);
            }
        }

        output.Position = 0;
        return output;
    }
}
