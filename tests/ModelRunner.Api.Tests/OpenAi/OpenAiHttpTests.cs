using System.Net;
using System.Text;
using System.Text.Json;

namespace ModelRunner.Api.Tests.OpenAi;

/// <summary>The wire format itself: SSE framing, error shapes, the fields SDKs hide.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpenAiHttpTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, Json(json));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Stream_SendsDataLinesUsageAndDone()
    {
        using var response = await Http.PostAsync("/engines/v1/chat/completions", Json($$"""
            {"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":6,"temperature":0,"stream":true,"stream_options":{"include_usage":true} }
            """));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, line => Assert.StartsWith("data: ", line, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        using var usage = JsonDocument.Parse(events[^2]["data: ".Length..]);
        Assert.Equal(0, usage.RootElement.GetProperty("choices").GetArrayLength());
        Assert.Equal(6, usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        using var last = JsonDocument.Parse(events[^3]["data: ".Length..]);
        Assert.Equal("length", last.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        using var first = JsonDocument.Parse(events[0]["data: ".Length..]);
        Assert.Equal("assistant", first.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Completions_EchoAndUsage()
    {
        var (status, body) = await PostAsync("/v1/completions", $$"""{"model":"{{TestServer.Model}}","prompt":"Once upon a time","max_tokens":5,"temperature":0,"echo":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("Once upon a time", body.GetProperty("choices")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(body.GetProperty("timings").GetProperty("predicted_n").GetInt32() == 5);
    }

    [Fact]
    public async Task Embeddings_Base64_DecodesToTheFloats()
    {
        var (_, floats) = await PostAsync("/v1/embeddings", $$"""{"model":"{{TestServer.EmbeddingModel}}","input":"hello there"}""");
        var (_, packed) = await PostAsync("/v1/embeddings", $$"""{"model":"{{TestServer.EmbeddingModel}}","input":"hello there","encoding_format":"base64"}""");

        var expected = floats.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(value => value.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String(packed.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal(expected, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    [Theory]
    [InlineData("{\"model\": ", 400, null)]
    [InlineData("[1,2]", 400, null)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 400, "model")]
    [InlineData("{\"model\":\"ai/tiny-random\"}", 400, "messages")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"messages\":\"Hi\"}", 400, "messages")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":\"hot\"}", 400, "temperature")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":0}", 400, "max_tokens")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"n\":2}", 400, "n")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"messages\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}", 400, "messages[0].role")]
    [InlineData("{\"model\":\"ai/nowhere\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 404, "model")]
    public async Task BadRequests_GetOpenAisErrorShape_AndTheServerKeepsServing(string json, int status, string? param)
    {
        var (actual, body) = await PostAsync("/engines/v1/chat/completions", json);

        Assert.Equal(status, (int)actual);
        var error = body.GetProperty("error");
        Assert.NotEmpty(error.GetProperty("message").GetString()!);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }

        var (after, _) = await PostAsync("/engines/v1/chat/completions", $$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":1}""");
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task HugeBody_Is413()
    {
        var huge = $$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"{{new string('a', 11 << 20)}}"}]}""";

        // As curl does for large bodies: the server refuses before the body is sent. The client
        // waits for that answer however busy the machine is; after HttpClient's default second
        // it would send the body anyway and fail on the connection the server closes.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = fixture.Server.BaseAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(huge) };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("10 MiB", body.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongRequestLine_ReachesTheRoute_AndIsAnsweredInOpenAisShape()
    {
        // 13 KB of path and query, over Kestrel's 8 KiB default, with a body still being sent when
        // a server that refused the line would close the connection.
        var id = new string('x', 5000);
        var query = string.Concat(Enumerable.Repeat("a=1&", 2000));
        var body = $$"""{"metadata":{"topic":"long"},"messages":[{{string.Join(",", Enumerable.Repeat("""{"role":"user","content":"Hi"}""", 2000))}}]}""";

        var (status, error) = await PostAsync($"/engines/v1/conversations/{id}?{query}", body);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(id, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageGeneration_Is501InOpenAisShape()
    {
        var (status, body) = await PostAsync("/engines/diffusers/v1/images/generations", """{"model":"stable-diffusion","prompt":"a cat"}""");

        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("image generation", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationHeader_SecondTurnReusesTheFirstTurnsTokens()
    {
        var conversation = Guid.NewGuid().ToString("N");
        async Task<JsonElement> TurnAsync(string content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions")
            {
                Content = Json($$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"{{content}}"}],"max_tokens":8,"temperature":0}"""),
                Headers = { { "X-Conversation-Id", conversation } },
            };
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.Clone();
        }

        var first = await TurnAsync("My name is Ada.");
        var second = await TurnAsync("What is my name?");

        var firstPrompt = first.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        var secondUsage = second.GetProperty("usage");
        // The second prompt holds the whole first turn (question and answer) in front of the new message.
        Assert.True(secondUsage.GetProperty("prompt_tokens").GetInt32() > firstPrompt + 8);
        Assert.True(secondUsage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() >= firstPrompt);
    }

    [Fact]
    public async Task Disconnect_MidStream_FreesTheSequence()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions")
        {
            Content = Json($$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Write forever"}],"max_tokens":100000,"stream":true}"""),
        })
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        }

        // Every sequence must come free: as many requests at once as the model has sequences all finish.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync("/engines/v1/chat/completions", $$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":2}""")));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
    }
}
