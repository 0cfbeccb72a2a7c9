using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Chat;

[Collection(TestModelCollection.Name)]
public sealed class ChatPromptTests(TestModelFixture models)
{
    [Fact]
    public async Task Continue_AfterAGeneratedAnswer_KeepsTheExactTokensSoTheNextTurnReusesThemAll()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 1024, Sequences = 2 });
        List<ChatMessage> history = [new("system", "You are terse."), new("user", "Name a colour.")];
        var prompt = ChatPrompt.Start(models.Tiny, history);
        var first = await Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest(prompt, Options) { CacheKey = "chat" }));
        history.Add(new ChatMessage("assistant", first.Text));

        var next = ChatPrompt.Continue(models.Tiny, history, [.. prompt, .. first.Tokens], [new ChatMessage("user", "Another one.")]);
        var second = await Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest(next, Options) { CacheKey = "chat" }));

        Assert.Equal([.. prompt, .. first.Tokens], next[..(prompt.Length + first.Tokens.Count)]);
        Assert.Equal(prompt.Length + first.Tokens.Count - 1, second.Result.CachedPromptTokens);
        Assert.Equal(WithoutSpaces(models.Tiny.ApplyChatTemplate([.. history, new ChatMessage("user", "Another one.")])), WithoutSpaces(Render(next)));
    }

    [Fact]
    public void Continue_WithoutAnAssistantAnswerLast_StartsAfresh()
    {
        List<ChatMessage> history = [new("user", "Hi")];

        var tokens = ChatPrompt.Continue(models.Tiny, history, [1, 2, 3], [new ChatMessage("user", "Again")]);

        Assert.Equal(ChatPrompt.Start(models.Tiny, [.. history, new ChatMessage("user", "Again")]), tokens);
    }

    private static GenerationOptions Options => new() { MaxTokens = 12, Sampling = SamplingOptions.Greedy, TopLogprobs = 0 };

    private string Render(int[] tokens) => models.Tiny.Detokenize(tokens.Skip(1), renderSpecial: true);

    // The test vocabulary (llama's SentencePiece) has no ChatML tokens and puts a space in front
    // of each separately tokenized piece of text; the words and markers must match, spaces aside.
    private static string WithoutSpaces(string text) => text.Replace(" ", "", StringComparison.Ordinal);
}
