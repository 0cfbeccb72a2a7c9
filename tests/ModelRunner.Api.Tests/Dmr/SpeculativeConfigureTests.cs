using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelRunner.Api.Tests.Dmr;

/// <summary>DMR's <c>speculative</c> configuration and llama-server's draft counts in <c>timings</c>.</summary>
public sealed class SpeculativeConfigureTests
{
    [Fact]
    public async Task Configure_SpeculativeDraft_SameAnswerAndTimingsCountTheDraft()
    {
        await using var server = await TestServer.StartAsync();
        var plain = await ChatAsync(server);

        var configured = await server.Http.PostAsJsonAsync("/engines/_configure", new Dictionary<string, object>
        {
            ["model"] = TestServer.Model,
            ["speculative"] = new Dictionary<string, object> { ["draft_model"] = TestServer.Model, ["num_tokens"] = 4, ["min_acceptance_rate"] = 0.1 },
        });
        Assert.Equal(HttpStatusCode.Accepted, configured.StatusCode);
        var flags = (await JsonAsync(configured)).GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString());
        Assert.Equal(["--model-draft", TestServer.Model, "--draft-max", "4", "--draft-p-min", "0.1"], flags);
        var speculated = await ChatAsync(server);

        Assert.Equal(Content(plain), Content(speculated));
        Assert.False(plain.GetProperty("timings").TryGetProperty("draft_n", out _), "draft_n without a draft");
        var timings = speculated.GetProperty("timings");
        Assert.True(timings.GetProperty("draft_n").GetInt32() > 0, timings.ToString());
        Assert.True(timings.GetProperty("draft_n_accepted").GetInt32() > 0, timings.ToString());
    }

    [Fact]
    public async Task Configure_DraftNotInTheStore_IsNotFound()
    {
        await using var server = await TestServer.StartAsync();

        var refused = await server.Http.PostAsJsonAsync("/engines/_configure", new Dictionary<string, object>
        {
            ["model"] = TestServer.Model,
            ["speculative"] = new Dictionary<string, object> { ["draft_model"] = "ai/no-such-draft" },
        });

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("no-such-draft", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_SpeculativeWithoutADraftModel_IsABadRequest()
    {
        await using var server = await TestServer.StartAsync();

        var refused = await server.Http.PostAsJsonAsync("/engines/_configure", new Dictionary<string, object>
        {
            ["model"] = TestServer.Model,
            ["speculative"] = new Dictionary<string, object> { ["num_tokens"] = 4 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("draft_model", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ChatAsync(TestServer server) =>
        await JsonAsync(await server.Http.PostAsJsonAsync("/engines/v1/chat/completions", new
        {
            model = TestServer.Model,
            messages = new[] { new { role = "user", content = "Tell me a story" } },
            max_tokens = 32,
            temperature = 0,
        }));

    private static string? Content(JsonElement completion) => completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
