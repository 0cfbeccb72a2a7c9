using System.Net;
using System.Text;
using System.Text.Json;

namespace ModelRunner.Api.Tests.Anthropic;

/// <summary>Anthropic's wire format: tool use, streamed tool input, error shapes.</summary>
[Collection(ServerCollection.Name)]
public sealed class AnthropicHttpTests(ServerFixture fixture)
{
    private const string Tools = """
        "tools":[{"name":"get_weather","description":"Weather for a city","input_schema":{"type":"object","properties":{"city":{"type":"string","maxLength":10}},"required":["city"]}}],
        "tool_choice":{"type":"any"}
        """;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json)
    {
        using var response = await fixture.Http.PostAsync("/anthropic/v1/messages", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ToolChoiceAny_AnswersWithAToolUseBlock_ThatCanBeSentBack()
    {
        var (status, body) = await PostAsync($$"""{"model":"{{TestServer.Model}}","max_tokens":80,"temperature":0,{{Tools}},"messages":[{"role":"user","content":"Weather in Paris?"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        using var message = JsonDocument.Parse(body);
        Assert.Equal("tool_use", message.RootElement.GetProperty("stop_reason").GetString());
        var use = message.RootElement.GetProperty("content").EnumerateArray().Single(block => block.GetProperty("type").GetString() == "tool_use");
        Assert.Equal("get_weather", use.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, use.GetProperty("input").GetProperty("city").ValueKind);

        var id = use.GetProperty("id").GetString();
        var (next, _) = await PostAsync($$"""
            {"model":"{{TestServer.Model}}","max_tokens":4,"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"{{id}}","name":"get_weather","input":{{use.GetProperty("input").GetRawText()}} }]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{id}}","content":"sunny"}]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, next);
    }

    [Fact]
    public async Task ToolUse_Streamed_SendsTheInputAsJsonDeltas()
    {
        var (_, body) = await PostAsync($$"""{"model":"{{TestServer.Model}}","max_tokens":80,"temperature":0,"stream":true,{{Tools}},"messages":[{"role":"user","content":"Weather in Paris?"}]}""");

        var data = body.Split('\n').Where(line => line.StartsWith("data: ", StringComparison.Ordinal)).Select(line => JsonDocument.Parse(line[6..]).RootElement).ToList();
        var start = data.Single(item => item.GetProperty("type").GetString() == "content_block_start" && item.GetProperty("content_block").GetProperty("type").GetString() == "tool_use");
        var input = string.Concat(data.Where(item => item.GetProperty("type").GetString() == "content_block_delta" && item.GetProperty("index").GetInt32() == start.GetProperty("index").GetInt32())
            .Select(item => item.GetProperty("delta").GetProperty("partial_json").GetString()));
        using var arguments = JsonDocument.Parse(input);
        Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        Assert.Equal("tool_use", data.Single(item => item.GetProperty("type").GetString() == "message_delta").GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Theory]
    [InlineData("{\"model\":\"ai/tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 400, "max_tokens")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"Hi\"}]}", 400, "messages[0].role")]
    [InlineData("{\"model\":\"ai/tiny-random\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]}", 400, "image")]
    [InlineData("{\"model\":\"ai/nowhere\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 404, "nowhere")]
    [InlineData("{\"model\":", 400, "JSON")]
    public async Task Errors_AreAnthropicsShape(string json, int status, string mentioned)
    {
        var (actual, body) = await PostAsync(json);

        Assert.Equal(status, (int)actual);
        using var error = JsonDocument.Parse(body);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal(status == 404 ? "not_found_error" : "invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentioned, error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
