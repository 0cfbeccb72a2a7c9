using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class SpeculativeDecodingTests(TestModelFixture models)
{
    private const string Prompt = "The quick brown fox";
    private static readonly EngineOptions Options = new() { Threads = 1, ContextSize = 256, Sequences = 2 };

    [Fact]
    public async Task GenerateAsync_TargetAsItsOwnDraft_SameTokensAsWithoutAndTheDraftIsAccepted()
    {
        var expected = await WithoutDraftAsync(Greedy(48));
        await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(models.Tiny) { DraftTokens = 5 });

        var speculated = await CollectAsync(engine.GenerateAsync(Prompt, Greedy(48)));

        Assert.Equal(expected.Tokens, speculated.Tokens);
        Assert.Equal(expected.Text, speculated.Text);
        Assert.Equal(48, speculated.Result.CompletionTokens);
        Assert.True(speculated.Result.DraftTokens > 0, "nothing was drafted");
        // The same weights propose what the target picks: only a float-rounding tie could differ.
        Assert.True(speculated.Result.DraftAcceptanceRate > 0.9, $"acceptance {speculated.Result.DraftAcceptanceRate:P0}");
    }

    [Fact]
    public async Task GenerateAsync_DraftThatDisagrees_SameTokensAsWithoutAndRejectionsCounted()
    {
        using var draft = LlamaModel.Load(models.Write(LlamaFileType.MostlyF16, seed: 2));
        var expected = await WithoutDraftAsync(Greedy(48));
        await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(draft) { DraftTokens = 4 });

        var speculated = await CollectAsync(engine.GenerateAsync(Prompt, Greedy(48)));

        Assert.Equal(expected.Tokens, speculated.Tokens);
        Assert.True(speculated.Result.DraftTokens > 0, "nothing was drafted");
        Assert.True(speculated.Result.DraftAcceptedTokens < speculated.Result.DraftTokens, "a random draft agreed on everything");
    }

    [Fact]
    public async Task GenerateAsync_SeededTemperature_SameTokensAsWithoutDraft()
    {
        using var draft = LlamaModel.Load(models.Write(LlamaFileType.MostlyF16, seed: 2));
        var options = new GenerationOptions { MaxTokens = 40, Sampling = new SamplingOptions { Temperature = 0.3f, TopK = 3, TopP = 1, MinP = 0, Seed = 7 } };
        var expected = await WithoutDraftAsync(options);
        await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(models.Tiny) { DraftTokens = 4 });
        await using var disagreeing = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(draft) { DraftTokens = 4 });

        var agreed = await CollectAsync(engine.GenerateAsync(Prompt, options));
        var rejected = await CollectAsync(disagreeing.GenerateAsync(Prompt, options));

        Assert.Equal(expected.Tokens, agreed.Tokens);
        Assert.Equal(expected.Tokens, rejected.Tokens);
        Assert.True(agreed.Result.DraftAcceptedTokens > 0, "the sampler never picked the draft's token");
    }

    [Fact]
    public async Task GenerateAsync_NextTurnAfterRejections_ContinuesFromTheKeptCellsOnly()
    {
        using var draft = LlamaModel.Load(models.Write(LlamaFileType.MostlyF16, seed: 2));
        await using var plain = new InferenceEngine(models.Tiny, Options);
        await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(draft) { DraftTokens = 6 });
        var prompt = models.Tiny.Tokenize(Prompt, addSpecial: true, parseSpecial: true);

        var first = await CollectAsync(engine.GenerateAsync(new GenerationRequest(prompt, Greedy(30)) { CacheKey = "chat" }));
        int[] next = [.. prompt, .. first.Tokens, .. models.Tiny.Tokenize(" and then", addSpecial: false)];
        var second = await CollectAsync(engine.GenerateAsync(new GenerationRequest(next, Greedy(30)) { CacheKey = "chat" }));
        var expected = await CollectAsync(plain.GenerateAsync(new GenerationRequest(next, Greedy(30))));

        // The second turn evaluated only its new tokens, on cells that must hold no rejected proposal.
        Assert.True(second.Result.CachedPromptTokens >= prompt.Length + first.Tokens.Count - 1, $"{second.Result.CachedPromptTokens} cached");
        Assert.Equal(expected.Tokens, second.Tokens);
    }

    [Fact]
    public async Task GenerateAsync_TwoRequestsAtOnce_EachGetsItsOwnTokens()
    {
        using var draft = LlamaModel.Load(models.Write(LlamaFileType.MostlyF16, seed: 2));
        var expectedFox = await WithoutDraftAsync(Greedy(40));
        await using var plain = new InferenceEngine(models.Tiny, Options);
        var expectedOnce = await CollectAsync(plain.GenerateAsync("Once upon a time", Greedy(40)));
        await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(models.Tiny) { DraftTokens = 4 });

        var results = await Task.WhenAll(
            CollectAsync(engine.GenerateAsync(Prompt, Greedy(40))),
            CollectAsync(engine.GenerateAsync("Once upon a time", Greedy(40))));

        Assert.Equal(expectedFox.Tokens, results[0].Tokens);
        Assert.Equal(expectedOnce.Tokens, results[1].Tokens);
    }

    [Fact]
    public async Task GenerateAsync_AcceptanceBelowTheMinimum_StopsDraftingForThatRequest()
    {
        using var draft = LlamaModel.Load(models.Write(LlamaFileType.MostlyF16, seed: 2));
        var expected = await WithoutDraftAsync(Greedy(64));
        await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(draft) { DraftTokens = 4, MinAcceptanceRate = 0.99 });

        var speculated = await CollectAsync(engine.GenerateAsync(Prompt, Greedy(64)));

        Assert.Equal(expected.Tokens, speculated.Tokens);
        // Judged once 8 proposals are in (two steps of 4); the rest of the 64 tokens went without the draft.
        Assert.Equal(8, speculated.Result.DraftTokens);
    }

    [Fact]
    public async Task Constructor_DraftWithAnotherVocabulary_ThrowsNamingTheDraft()
    {
        using var draft = LlamaModel.Load(models.Write(TestModelShape.BertTiny));

        var error = await Assert.ThrowsAsync<InvalidOptionException>(async () =>
        {
            await using var engine = new InferenceEngine(models.Tiny, Options, new SpeculativeOptions(draft));
        });

        Assert.Contains("cannot draft", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokens", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(65, 0)]
    [InlineData(8, 1)]
    [InlineData(8, -0.1)]
    public void Validate_OutOfRange_Throws(int draftTokens, double minAcceptance)
    {
        var options = new SpeculativeOptions(models.Tiny) { DraftTokens = draftTokens, MinAcceptanceRate = minAcceptance };

        Assert.Throws<InvalidOptionException>(options.Validate);
    }

    private static GenerationOptions Greedy(int maxTokens) => new() { MaxTokens = maxTokens, Sampling = SamplingOptions.Greedy };

    private async Task<Collected> WithoutDraftAsync(GenerationOptions options)
    {
        await using var engine = new InferenceEngine(models.Tiny, Options);
        return await CollectAsync(engine.GenerateAsync(Prompt, options));
    }

    private static async Task<Collected> CollectAsync(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var tokens = new List<int>();
        var text = new System.Text.StringBuilder();
        GenerationResult? result = null;
        await foreach (var update in updates)
        {
            tokens.AddRange(update.Tokens);
            text.Append(update.Text);
            result ??= update.Result;
        }

        Assert.NotNull(result);
        return new Collected(tokens, text.ToString(), result);
    }

    private sealed record Collected(List<int> Tokens, string Text, GenerationResult Result);
}
