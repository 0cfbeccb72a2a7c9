using System.Net;
using System.Text;
using System.Text.Json;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Api.Tests.Reasoning;

/// <summary>
/// A reasoning model in every API family: a generated model whose template opens a think block,
/// configured with <c>--reasoning-budget 4</c>, so every answer starts with exactly four tokens of
/// thinking (a random-weight model never closes the block itself), then the answer.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReasoningTests(ServerFixture fixture) : IAsyncLifetime
{
    private const string Model = "ai/tiny-reasoning";

    private HttpClient Http => fixture.Http;

    public async Task InitializeAsync()
    {
        await fixture.Server.PackageAsync(Model, TestModelShape.TinyReasoning);
        var (status, _) = await PostAsync("/engines/_configure", $$"""{"model":"{{Model}}","runtime-flags":["--reasoning-budget","4"]}""");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent, $"configure answered {status}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task<List<JsonElement>> EventsAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<JsonElement>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            var data = line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : line.StartsWith('{') ? line : null;
            if (data is not null && data != "[DONE]")
            {
                using var document = JsonDocument.Parse(data);
                events.Add(document.RootElement.Clone());
            }
        }

        return events;
    }

    private static string Chat(string extra = "", int maxTokens = 10) =>
        $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Why is the sky blue?"}],"max_tokens":{{maxTokens}},"temperature":0{{extra}}}""";

    [Fact]
    public async Task OpenAi_ReasoningContent_IsApartFromTheContent_AndReasoningEffortNoneTurnsItOff()
    {
        var (status, body) = await PostAsync("/v1/chat/completions", Chat());
        var (_, off) = await PostAsync("/v1/chat/completions", Chat(""","reasoning_effort":"none" """));

        Assert.Equal(HttpStatusCode.OK, status);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.NotEmpty(message.GetProperty("reasoning_content").GetString()!);
        Assert.NotEmpty(message.GetProperty("content").GetString()!);
        Assert.DoesNotContain("</think>", message.GetProperty("content").GetString()!, StringComparison.Ordinal);
        Assert.Equal(10, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var plain = off.GetProperty("choices")[0].GetProperty("message");
        Assert.False(plain.TryGetProperty("reasoning_content", out _));
        Assert.NotEmpty(plain.GetProperty("content").GetString()!);
    }

    [Fact]
    public async Task OpenAi_Streamed_SendsReasoningDeltasBeforeContentDeltas_AndTheSameText()
    {
        var (_, whole) = await PostAsync("/v1/chat/completions", Chat());
        var events = await EventsAsync("/v1/chat/completions", Chat(""","stream":true"""));

        var deltas = events.Where(e => e.GetProperty("choices").GetArrayLength() > 0).Select(e => e.GetProperty("choices")[0].GetProperty("delta")).ToList();
        var kinds = deltas.Select(d => d.TryGetProperty("reasoning_content", out _) ? "reasoning" : d.TryGetProperty("content", out var c) && c.GetString()!.Length > 0 ? "content" : "other")
            .Where(kind => kind != "other").Distinct();
        Assert.Equal(["reasoning", "content"], kinds);
        var message = whole.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(message.GetProperty("reasoning_content").GetString(), string.Concat(deltas.Select(d => d.TryGetProperty("reasoning_content", out var r) ? r.GetString() : "")));
        Assert.Equal(message.GetProperty("content").GetString(), string.Concat(deltas.Select(d => d.TryGetProperty("content", out var c) ? c.GetString() : "")));
    }

    [Fact]
    public async Task Anthropic_BudgetTokens_GiveAThinkingBlockThatIsAPrefixOfALongerBudgets()
    {
        var (status, shorter) = await PostAsync("/v1/messages", $$"""{"model":"{{Model}}","max_tokens":10,"temperature":0,"thinking":{"type":"enabled","budget_tokens":2},"messages":[{"role":"user","content":"Why is the sky blue?"}]}""");
        var (_, openAi) = await PostAsync("/v1/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.OK, status);
        var blocks = shorter.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["thinking", "text"], blocks.Select(block => block.GetProperty("type").GetString()));
        var thinking = blocks[0].GetProperty("thinking").GetString()!;
        Assert.Equal("", blocks[0].GetProperty("signature").GetString());
        var fourTokens = openAi.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString()!;
        Assert.NotEmpty(thinking);
        Assert.StartsWith(thinking, fourTokens, StringComparison.Ordinal);
        Assert.True(thinking.Length < fourTokens.Length);
    }

    [Fact]
    public async Task Anthropic_Streamed_ThinkingBlockThenTextBlock()
    {
        var events = await EventsAsync("/v1/messages", $$"""{"model":"{{Model}}","max_tokens":10,"temperature":0,"stream":true,"messages":[{"role":"user","content":"Why is the sky blue?"}]}""");

        var blocks = events.Where(e => e.GetProperty("type").GetString() == "content_block_start").Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("content_block").GetProperty("type").GetString())).ToList();
        Assert.Equal([(0, "thinking"), (1, "text")], blocks);
        var deltaTypes = events.Where(e => e.GetProperty("type").GetString() == "content_block_delta").Select(e => e.GetProperty("delta").GetProperty("type").GetString()).Distinct();
        Assert.Equal(["thinking_delta", "signature_delta", "text_delta"], deltaTypes);
    }

    [Fact]
    public async Task Ollama_Think_GivesThinking_AndThinkFalseNone()
    {
        var (status, on) = await PostAsync("/api/chat", $$"""{"model":"{{Model}}","stream":false,"think":true,"options":{"temperature":0,"num_predict":10},"messages":[{"role":"user","content":"Why is the sky blue?"}]}""");
        var (_, off) = await PostAsync("/api/chat", $$"""{"model":"{{Model}}","stream":false,"think":false,"options":{"temperature":0,"num_predict":10},"messages":[{"role":"user","content":"Why is the sky blue?"}]}""");
        var streamed = await EventsAsync("/api/chat", $$"""{"model":"{{Model}}","think":true,"options":{"temperature":0,"num_predict":10},"messages":[{"role":"user","content":"Why is the sky blue?"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var message = on.GetProperty("message");
        Assert.NotEmpty(message.GetProperty("thinking").GetString()!);
        Assert.NotEmpty(message.GetProperty("content").GetString()!);
        Assert.False(off.GetProperty("message").TryGetProperty("thinking", out _));
        Assert.Equal(message.GetProperty("thinking").GetString(), string.Concat(streamed.Select(line => line.GetProperty("message").TryGetProperty("thinking", out var t) ? t.GetString() : "")));
    }

    [Fact]
    public async Task ConversationHeader_EachTurnThinks_AndTheNextReusesTheWholeTurnsTokens()
    {
        var conversation = Guid.NewGuid().ToString("N");
        async Task<JsonElement> TurnAsync(string content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"{{content}}"}],"max_tokens":10,"temperature":0}""", Encoding.UTF8, "application/json"),
                Headers = { { "X-Conversation-Id", conversation } },
            };
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.Clone();
        }

        var first = await TurnAsync("My name is Ada.");
        var second = await TurnAsync("What is my name?");

        Assert.All([first, second], turn => Assert.NotEmpty(turn.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString()!));
        var firstPrompt = first.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        var secondUsage = second.GetProperty("usage");
        // The second prompt holds the first turn's prompt, thinking, forced close and answer.
        Assert.True(secondUsage.GetProperty("prompt_tokens").GetInt32() > firstPrompt + 10);
        Assert.True(secondUsage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() >= firstPrompt);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"ai/tiny-reasoning","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"extreme"}""", "reasoning_effort")]
    [InlineData("/v1/messages", """{"model":"ai/tiny-reasoning","max_tokens":4,"thinking":{"type":"enabled","budget_tokens":4},"messages":[{"role":"user","content":"Hi"}]}""", "thinking.budget_tokens")]
    [InlineData("/v1/messages", """{"model":"ai/tiny-reasoning","max_tokens":4,"thinking":{"type":"sometimes"},"messages":[{"role":"user","content":"Hi"}]}""", "thinking.type")]
    [InlineData("/api/chat", """{"model":"ai/tiny-reasoning","think":"hard","messages":[{"role":"user","content":"Hi"}]}""", "think")]
    [InlineData("/engines/_configure", """{"model":"ai/tiny-reasoning","runtime-flags":["--reasoning-budget","-2"]}""", null)]
    public async Task BadReasoningSettings_AreRefusedWith400(string path, string json, string? param)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (param is not null)
        {
            Assert.Contains(param, text, StringComparison.Ordinal);
        }
    }
}
