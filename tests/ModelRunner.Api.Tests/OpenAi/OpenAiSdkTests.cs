using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ModelRunner.Api.Tests.OpenAi;

/// <summary>The official OpenAI .NET SDK, pointed at the server by base URL only.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpenAiSdkTests(ServerFixture fixture)
{
    private OpenAIClient Client(string prefix = "/engines/v1") =>
        new(new ApiKeyCredential("not-needed"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, prefix) });

    private static ChatCompletionOptions Greedy(int maxTokens = 12) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens, Seed = 7 };

    [Theory]
    [InlineData("/engines/v1")]
    [InlineData("/engines/llama.cpp/v1")]
    [InlineData("/v1")]
    public async Task ChatCompletion_AnswersOnEveryPrefix(string prefix)
    {
        var chat = Client(prefix).GetChatClient(TestServer.Model);

        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello!")], Greedy());

        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.NotEmpty(completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(12, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(TestServer.Model, completion.Model);
    }

    [Fact]
    public async Task ChatCompletion_Streamed_EqualsTheWholeAnswer()
    {
        var chat = Client().GetChatClient(TestServer.Model);
        List<ChatMessage> messages = [new UserChatMessage("Tell me a story about a lighthouse.")];

        ChatCompletion whole = await chat.CompleteChatAsync(messages, Greedy(24));
        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, Greedy(24)))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal(24, usage?.OutputTokenCount);
    }

    [Fact]
    public async Task ChatCompletion_SecondRequestWithTheSamePrefix_ReportsCachedTokens()
    {
        var chat = Client().GetChatClient(TestServer.Model);
        var system = new SystemChatMessage(string.Join(' ', Enumerable.Repeat("You answer questions about lighthouses and the sea.", 8)));

        await chat.CompleteChatAsync([system, new UserChatMessage("First question?")], Greedy(4));
        ChatCompletion second = await chat.CompleteChatAsync([system, new UserChatMessage("Second question?")], Greedy(4));

        Assert.True(second.Usage.InputTokenDetails.CachedTokenCount > 40, $"cached {second.Usage.InputTokenDetails.CachedTokenCount}");
    }

    [Fact]
    public async Task ChatCompletion_JsonSchema_AnswersValidJson()
    {
        var chat = Client().GetChatClient(TestServer.Model);
        var schema = BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string","maxLength":8},"age":{"type":"integer"}},"required":["name","age"]}""");
        var options = Greedy(60);
        options.ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", schema);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("A person, please.")], options);

        using var json = System.Text.Json.JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal(System.Text.Json.JsonValueKind.String, json.RootElement.GetProperty("name").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, json.RootElement.GetProperty("age").ValueKind);
    }

    [Fact]
    public async Task ChatCompletion_RequiredTool_ReturnsAParsedToolCall()
    {
        var chat = Client().GetChatClient(TestServer.Model);
        var options = Greedy(80);
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string","maxLength":10}},"required":["city"]}""")));
        options.ToolChoice = ChatToolChoice.CreateRequiredChoice();

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using var arguments = System.Text.Json.JsonDocument.Parse(call.FunctionArguments.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);

        // The call and its result go back in the history, as agents do.
        ChatCompletion next = await chat.CompleteChatAsync([new UserChatMessage("Weather in Paris?"), new AssistantChatMessage([call]), new ToolChatMessage(call.Id, "sunny")], Greedy(8));
        Assert.NotEmpty(next.Content[0].Text);
    }

    [Fact]
    public async Task ChatCompletion_Logprobs_HaveTheAskedAlternatives()
    {
        var chat = Client().GetChatClient(TestServer.Model);
        var options = Greedy(5);
        options.IncludeLogProbabilities = true;
        options.TopLogProbabilityCount = 3;

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hi")], options);

        Assert.Equal(5, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, token =>
        {
            Assert.True(token.LogProbability <= 0);
            Assert.Equal(3, token.TopLogProbabilities.Count);
        });
    }

    [Fact]
    public async Task Embeddings_OnePerInput()
    {
        var embeddings = Client().GetEmbeddingClient(TestServer.EmbeddingModel);

        OpenAIEmbeddingCollection result = await embeddings.GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, result.Count);
        Assert.True(result[0].ToFloats().Length > 0);
        Assert.Equal(result[0].ToFloats().Length, result[1].ToFloats().Length);
        Assert.NotEqual(result[0].ToFloats().ToArray(), result[1].ToFloats().ToArray());
    }

    [Fact]
    public async Task Models_ListAndGet()
    {
        var models = Client().GetOpenAIModelClient();

        var list = (await models.GetModelsAsync()).Value;
        var one = (await models.GetModelAsync(TestServer.Model)).Value;

        Assert.Contains(list, model => model.Id == TestServer.Model + ":latest");
        Assert.Equal(TestServer.Model + ":latest", one.Id);
        Assert.Equal("ai", one.OwnedBy);
    }

    [Fact]
    public async Task UnknownModel_IsA404TheSdkReports()
    {
        var chat = Client().GetChatClient("ai/not-here");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")], Greedy()));

        Assert.Equal(404, error.Status);
        Assert.Contains("not-here", error.Message, StringComparison.Ordinal);
    }
}
