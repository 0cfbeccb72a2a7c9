using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelRunner.Distribution.Testing;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Api.Tests.Ollama;

/// <summary><c>/api/create</c>, <c>/api/copy</c>, <c>/api/push</c> and <c>/api/blobs</c> as Ollama's clients call them; a server per test, since they add models.</summary>
public sealed class OllamaModelManagementTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<List<JsonElement>> LinesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Copy_GivesTheModelAnotherName_AndAnUnknownSourceIsA404()
    {
        await using var server = await TestServer.StartAsync();

        var copied = await server.Http.PostAsync("/api/copy", Json("""{"source":"ai/tiny-random","destination":"me/tiny-backup"}"""));
        var unknown = await server.Http.PostAsync("/api/copy", Json("""{"source":"ai/nowhere","destination":"me/x"}"""));
        var incomplete = await server.Http.PostAsync("/api/copy", Json("""{"source":"ai/tiny-random"}"""));
        var tags = await JsonAsync(await server.Http.GetAsync("/api/tags"));

        Assert.Equal(HttpStatusCode.OK, copied.StatusCode);
        Assert.Contains("me/tiny-backup:latest", tags.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nowhere", (await JsonAsync(unknown)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("destination", (await JsonAsync(incomplete)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FromAModelfile_StreamsStatuses_AndKeepsContextSizeAndLicense()
    {
        await using var server = await TestServer.StartAsync();
        var request = new { model = "me/tiny-ctx", modelfile = "# a comment\nFROM ai/tiny-random\nPARAMETER num_ctx 1024\nLICENSE \"\"\"Free\nto use\"\"\"\n" };

        var lines = await LinesAsync(await server.Http.PostAsync("/api/create", Json(JsonSerializer.Serialize(request))));
        var show = await JsonAsync(await server.Http.PostAsync("/api/show", Json("""{"model":"me/tiny-ctx"}""")));
        var dmr = await JsonAsync(await server.Http.GetAsync("/models/me/tiny-ctx"));
        var quiet = await JsonAsync(await server.Http.PostAsync("/api/create", Json("""{"model":"me/tiny-2k","from":"ai/tiny-random","parameters":{"num_ctx":2048},"stream":false}""")));

        var statuses = lines.Select(line => line.GetProperty("status").GetString()!).ToList();
        Assert.Equal("reading model metadata", statuses[0]);
        Assert.Contains(statuses, status => status.StartsWith("using already created layer sha256:", StringComparison.Ordinal));
        Assert.Contains(statuses, status => status.StartsWith("writing layer sha256:", StringComparison.Ordinal));
        Assert.Equal(["writing manifest", "success"], statuses[^2..]);
        Assert.Equal("Free\nto use", show.GetProperty("license").GetString());
        Assert.Equal(1024, dmr.GetProperty("config").GetProperty("context_size").GetInt32());
        Assert.Equal("success", quiet.GetProperty("status").GetString());
        Assert.Equal(2048, (await JsonAsync(await server.Http.GetAsync("/models/me/tiny-2k"))).GetProperty("config").GetProperty("context_size").GetInt32());
    }

    [Fact]
    public async Task Create_FromAnUploadedGguf_OrAStoredLayer_MakesAModelThatAnswers()
    {
        await using var server = await TestServer.StartAsync();
        var gguf = Path.Combine(server.Home, "upload.gguf");
        TestModelBuilder.Write(gguf, TestModelShape.Tiny, LlamaFileType.MostlyF16, 7);
        var bytes = await File.ReadAllBytesAsync(gguf);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        var storedLayer = "sha256:" + Path.GetFileName(server.Distribution.Store.Get(TestServer.Model).GgufPaths[0]);

        var before = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/blobs/{digest}"));
        var wrong = await server.Http.PostAsync($"/api/blobs/sha256:{new string('0', 64)}", new ByteArrayContent(bytes));
        var uploaded = await server.Http.PostAsync($"/api/blobs/{digest}", new ByteArrayContent(bytes));
        var after = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/blobs/{digest}"));
        var stored = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/blobs/{storedLayer}"));
        var fromUpload = await LinesAsync(await server.Http.PostAsync("/api/create", Json(JsonSerializer.Serialize(new { model = "me/uploaded", files = new Dictionary<string, string> { ["model.gguf"] = digest } }))));
        var fromModelfile = await LinesAsync(await server.Http.PostAsync("/api/create", Json(JsonSerializer.Serialize(new { model = "me/relayered", modelfile = $"FROM {storedLayer}" }))));
        var answer = await JsonAsync(await server.Http.PostAsync("/api/generate", Json("""{"model":"me/uploaded","prompt":"Hi","stream":false,"options":{"num_predict":2}}""")));

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("success", fromUpload[^1].GetProperty("status").GetString());
        Assert.Equal("success", fromModelfile[^1].GetProperty("status").GetString());
        Assert.True(answer.GetProperty("done").GetBoolean());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(server.Distribution.Store.Get("me/uploaded").GgufPaths[0]));
    }

    [Theory]
    [InlineData("""{"model":"me/x","from":"ai/tiny-random","system":"You are terse."}""", "system")]
    [InlineData("""{"model":"me/x","modelfile":"FROM ai/tiny-random\nSYSTEM You are terse."}""", "SYSTEM")]
    [InlineData("""{"model":"me/x","modelfile":"FROM ai/tiny-random\nPARAMETER temperature 0.2"}""", "temperature")]
    [InlineData("""{"model":"me/x","parameters":{"num_ctx":512}}""", "from")]
    [InlineData("""{"model":"me/x","files":{"model.gguf":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}}""", "upload it")]
    [InlineData("""{"from":"ai/tiny-random"}""", "model")]
    public async Task Create_WhatItCannotKeep_IsA400NamingIt(string body, string named)
    {
        await using var server = await TestServer.StartAsync();
        var before = (await JsonAsync(await server.Http.GetAsync("/api/tags"))).GetProperty("models").GetArrayLength();

        var response = await server.Http.PostAsync("/api/create", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await JsonAsync(await server.Http.GetAsync("/api/tags"))).GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task Create_FromAnUnknownModel_IsA404()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Http.PostAsync("/api/create", Json("""{"model":"me/x","from":"ai/nowhere"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Push_StreamsOllamasStatuses_ToARealRegistry()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var server = await TestServer.StartAsync();
        var reference = $"{registry.Host}/ollama/tiny:v1";
        await server.PackageAsync(reference, TestModelShape.Tiny, seed: 9);

        var lines = await LinesAsync(await server.Http.PostAsync("/api/push", Json($$"""{"model":"{{reference}}"}""")));
        var quiet = await JsonAsync(await server.Http.PostAsync("/api/push", Json($$"""{"model":"{{reference}}","stream":false}""")));
        var remote = await server.Http.GetAsync($"/models/{reference}?remote=true");
        var unknown = await server.Http.PostAsync("/api/push", Json($$"""{"model":"{{registry.Host}}/ollama/absent:v1"}"""));

        var statuses = lines.Select(line => line.GetProperty("status").GetString()).ToList();
        Assert.Equal("retrieving manifest", statuses[0]);
        var upload = lines.First(line => line.GetProperty("status").GetString() == "starting upload");
        Assert.StartsWith("sha256:", upload.GetProperty("digest").GetString(), StringComparison.Ordinal);
        Assert.True(upload.GetProperty("total").GetInt64() > 0);
        Assert.Contains("pushing manifest", statuses);
        Assert.Equal("success", statuses[^1]);
        Assert.Equal("success", quiet.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, remote.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
