using System.Net;
using System.Text;
using System.Text.Json;
using ModelRunner.Distribution.Testing;

namespace ModelRunner.Api.Tests.Ollama;

/// <summary>The Ollama API over raw HTTP, as Ollama's own clients speak it.</summary>
[Collection(ServerCollection.Name)]
public sealed class OllamaTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<List<JsonElement>> LinesAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, Json(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, Json(json));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Chat_StreamsNdjson_ThenADoneLineWithNanosecondDurations()
    {
        var lines = await LinesAsync("/api/chat", $$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Hello!"}],"options":{"num_predict":6,"temperature":0} }""");

        var done = lines[^1];
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal("length", done.GetProperty("done_reason").GetString());
        Assert.Equal(6, done.GetProperty("eval_count").GetInt32());
        Assert.True(done.GetProperty("prompt_eval_count").GetInt32() > 0);
        Assert.True(done.GetProperty("total_duration").GetInt64() >= done.GetProperty("eval_duration").GetInt64());
        Assert.True(done.GetProperty("eval_duration").GetInt64() > 1000, "nanoseconds, not milliseconds");
        Assert.All(lines[..^1], line => Assert.False(line.GetProperty("done").GetBoolean()));
        Assert.Equal("assistant", lines[0].GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Generate_Streamed_EqualsNotStreamed()
    {
        const string Request = "\"model\":\"ai/tiny-random\",\"prompt\":\"Why is the sky blue?\",\"options\":{\"num_predict\":12,\"temperature\":0,\"seed\":3}";

        var streamed = string.Concat((await LinesAsync("/api/generate", "{" + Request + "}")).Select(line => line.GetProperty("response").GetString()));
        var (_, whole) = await PostAsync("/api/generate", "{" + Request + ",\"stream\":false}");

        Assert.Equal(whole.GetProperty("response").GetString(), streamed);
        Assert.True(whole.GetProperty("done").GetBoolean());
        Assert.Equal(12, whole.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Generate_FormatJson_AnswersParseableJson()
    {
        var (_, answer) = await PostAsync("/api/generate", $$"""{"model":"{{TestServer.Model}}","prompt":"A JSON object","format":"json","stream":false,"options":{"num_predict":40,"temperature":0} }""");

        var text = answer.GetProperty("response").GetString()!;
        if (answer.GetProperty("done_reason").GetString() == "stop")
        {
            using var json = JsonDocument.Parse(text);
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        }
        else
        {
            Assert.StartsWith("{", text.TrimStart(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EmptyGenerate_LoadsTheModel_AndKeepAliveZeroUnloadsIt()
    {
        var (_, loaded) = await PostAsync("/api/generate", $$"""{"model":"{{TestServer.Model}}","keep_alive":"10m"}""");
        Assert.Equal("load", loaded.GetProperty("done_reason").GetString());
        var ps = await GetAsync("/api/ps");
        var running = Assert.Single(ps.GetProperty("models").EnumerateArray(), model => model.GetProperty("name").GetString() == TestServer.Model + ":latest");
        Assert.True(running.GetProperty("size").GetInt64() > 0);
        Assert.True(running.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(5));

        var (_, unloaded) = await PostAsync("/api/generate", $$"""{"model":"{{TestServer.Model}}","keep_alive":0}""");

        Assert.Equal("unload", unloaded.GetProperty("done_reason").GetString());
        Assert.DoesNotContain((await GetAsync("/api/ps")).GetProperty("models").EnumerateArray(), model => model.GetProperty("name").GetString() == TestServer.Model + ":latest");
    }

    [Fact]
    public async Task VersionTagsAndShow()
    {
        var version = await GetAsync("/api/version");
        var tags = await GetAsync("/api/tags");
        var (status, show) = await PostAsync("/api/show", $$"""{"model":"{{TestServer.Model}}"}""");

        Assert.Matches(@"^\d+\.\d+\.\d+$", version.GetProperty("version").GetString());
        var tag = Assert.Single(tags.GetProperty("models").EnumerateArray(), model => model.GetProperty("name").GetString() == TestServer.Model + ":latest");
        Assert.Equal("gguf", tag.GetProperty("details").GetProperty("format").GetString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("llama", show.GetProperty("model_info").GetProperty("general.architecture").GetString());
        Assert.Contains("FROM ai/tiny-random", show.GetProperty("modelfile").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAndLegacyEmbeddings()
    {
        var (_, embed) = await PostAsync("/api/embed", $$"""{"model":"{{TestServer.EmbeddingModel}}","input":["one","two"]}""");
        var (_, legacy) = await PostAsync("/api/embeddings", $$"""{"model":"{{TestServer.EmbeddingModel}}","prompt":"one"}""");

        Assert.Equal(2, embed.GetProperty("embeddings").GetArrayLength());
        float[] batched = [.. embed.GetProperty("embeddings")[0].EnumerateArray().Select(value => value.GetSingle())];
        float[] alone = [.. legacy.GetProperty("embedding").EnumerateArray().Select(value => value.GetSingle())];
        Assert.Equal(batched.Length, alone.Length);
        // Not bit for bit: llama.cpp's CPU kernels split a matrix product by the batch's row count,
        // so "one" in a batch of two is summed in another order than "one" alone, and the last
        // bits of a float differ (observed ~1e-7 on unit vectors). 1e-5 is far above that rounding
        // and far below what a different input or a wrong pooling would change.
        Assert.All(batched.Zip(alone), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
    }

    [Theory]
    [InlineData("/api/chat", "{\"model\":\"ai/nowhere\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 404)]
    [InlineData("/api/chat", "{\"messages\":[]}", 400)]
    [InlineData("/api/generate", "{\"model\":\"ai/tiny-random\",\"prompt\":\"Hi\",\"options\":{\"temperature\":\"warm\"}}", 400)]
    [InlineData("/api/generate", "{\"model\":\"ai/tiny-random\",\"prompt\":\"Hi\",\"keep_alive\":\"soon\"}", 400)]
    [InlineData("/api/generate", "not json", 400)]
    [InlineData("/api/show", "{\"model\":\"ai/nowhere\"}", 404)]
    public async Task Errors_AreOllamasShape(string path, string json, int status)
    {
        var (actual, body) = await PostAsync(path, json);

        Assert.Equal(status, (int)actual);
        Assert.NotEmpty(body.GetProperty("error").GetString()!);
    }

    [Fact]
    public async Task Pull_FromARegistry_StreamsLayersThenSuccess_AndDeleteRemovesIt()
    {
        await using var registry = await RegistryServer.StartAsync();
        var reference = $"{registry.Host}/test/pulled:v1";
        await fixture.Server.PackageAsync(reference, ModelRunner.Engine.TestModels.TestModelShape.Tiny, seed: 9);
        await foreach (var _ in fixture.Server.Distribution.PushAsync(reference))
        {
        }

        fixture.Server.Distribution.Store.Remove(reference);

        var lines = await LinesAsync("/api/pull", $$"""{"model":"{{reference}}"}""");

        Assert.Equal("success", lines[^1].GetProperty("status").GetString());
        Assert.Contains(lines, line => line.TryGetProperty("digest", out _) && line.GetProperty("completed").GetInt64() == line.GetProperty("total").GetInt64());
        Assert.NotNull(fixture.Server.Distribution.Store.Find(reference));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = Json($$"""{"model":"{{reference}}"}""") };
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(delete)).StatusCode);
        Assert.Null(fixture.Server.Distribution.Store.Find(reference));
        using var again = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = Json($$"""{"model":"{{reference}}"}""") };
        Assert.Equal(HttpStatusCode.NotFound, (await Http.SendAsync(again)).StatusCode);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(path));
        return document.RootElement.Clone();
    }
}
