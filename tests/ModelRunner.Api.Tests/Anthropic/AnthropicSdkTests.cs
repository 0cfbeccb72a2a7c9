using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;

namespace ModelRunner.Api.Tests.Anthropic;

/// <summary>The official Anthropic .NET SDK, pointed at the server by base URL only.</summary>
[Collection(ServerCollection.Name)]
public sealed class AnthropicSdkTests(ServerFixture fixture)
{
    private AnthropicClient Client(string prefix = "/anthropic") =>
        new() { BaseUrl = new Uri(fixture.Server.BaseAddress, prefix).ToString().TrimEnd('/'), ApiKey = "not-needed", MaxRetries = 0 };

    // This SDK version has no temperature property; the raw body sets it, as a client can.
    private static MessageCreateParams Hello(int maxTokens = 10) => MessageCreateParams.FromRawUnchecked(
        new Dictionary<string, JsonElement>(),
        new Dictionary<string, JsonElement>(),
        new Dictionary<string, JsonElement>
        {
            ["model"] = JsonSerializer.SerializeToElement(TestServer.Model),
            ["max_tokens"] = JsonSerializer.SerializeToElement(maxTokens),
            ["temperature"] = JsonSerializer.SerializeToElement(0),
            ["system"] = JsonSerializer.SerializeToElement("Be brief."),
            ["messages"] = JsonSerializer.SerializeToElement(new[] { new { role = "user", content = "Hello!" } }),
        });

    [Theory]
    [InlineData("/anthropic")]
    [InlineData("")]
    public async Task Message_AnswersWithTextAndUsage(string prefix)
    {
        var message = await Client(prefix).Messages.Create(Hello());

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.NotEmpty(text.Text);
        Assert.True(message.StopReason == StopReason.MaxTokens);
        Assert.Equal(10, message.Usage.OutputTokens);
        Assert.True(message.Usage.InputTokens > 0);
    }

    [Fact]
    public async Task Message_Streamed_EqualsTheWholeMessage()
    {
        var client = Client();
        var whole = await client.Messages.Create(Hello(16));

        var streamed = new StringBuilder();
        var kinds = new List<string>();
        await foreach (var streamEvent in client.Messages.CreateStreaming(Hello(16)))
        {
            kinds.Add(streamEvent.Match(_ => "message_start", _ => "message_delta", _ => "message_stop", _ => "content_block_start", _ => "content_block_delta", _ => "content_block_stop"));
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text))
            {
                streamed.Append(text.Text);
            }
        }

        Assert.True(whole.Content[0].TryPickText(out var wholeText));
        Assert.Equal(wholeText.Text, streamed.ToString());
        Assert.Equal(["message_start", "content_block_start"], kinds[..2]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], kinds[^3..]);
    }

    [Fact]
    public async Task CountTokens_MatchesTheInputTokensOfAMessage()
    {
        var client = Client();
        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = TestServer.Model,
            System = "Be brief.",
            Messages = [new UserMessageParam { Content = "Hello!" }],
        });
        var message = await client.Messages.Create(Hello(2));

        Assert.Equal(message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0), count.InputTokens);
    }
}
