using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Sequences;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class PrefixReuseTests(TestModelFixture models)
{
    private static readonly GenerationOptions Greedy = new() { MaxTokens = 16, Sampling = SamplingOptions.Greedy };

    [Fact]
    public async Task GenerateAsync_PromptExtendingACachedOne_EvaluatesOnlyTheSuffixAndAnswersAsACold()
    {
        var first = models.Tiny.Tokenize("You are a helpful assistant. The user asks about the weather.");
        int[] second = [.. first, .. models.Tiny.Tokenize(" And then about the sea.", addSpecial: false)];
        var cold = await ColdAsync(second);
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 2 });

        var warmUp = await Generation.CollectAsync(engine.GenerateAsync(first, Greedy));
        var reused = await Generation.CollectAsync(engine.GenerateAsync(second, Greedy));

        Assert.Equal(0, warmUp.Result.CachedPromptTokens);
        Assert.Equal(first.Length, reused.Result.CachedPromptTokens);
        Assert.Equal(cold.Text, reused.Text);
    }

    [Fact]
    public async Task GenerateAsync_SamePromptAgain_ReusesAllButTheLastToken()
    {
        var prompt = models.Tiny.Tokenize("Repeat after me: the same prompt twice.");
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });

        var once = await Generation.CollectAsync(engine.GenerateAsync(prompt, Greedy));
        var twice = await Generation.CollectAsync(engine.GenerateAsync(prompt, Greedy));

        Assert.Equal(prompt.Length - 1, twice.Result.CachedPromptTokens);
        Assert.Equal(once.Text, twice.Text);
    }

    [Fact]
    public async Task GenerateAsync_NextTurnAfterEvictionToRam_RestoresAndContinuesAsIfNeverEvicted()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });
        var (turn1, turn2) = await ConversationAsync(engine, "a");

        await Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest(models.Tiny.Tokenize("Another conversation entirely."), Greedy) { CacheKey = "b" }));
        Assert.Equal(1, engine.Status.SavedInMemory);
        var restored = await Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest(turn2, Greedy) { CacheKey = "a" }));

        Assert.Equal(turn1.Length - 1, restored.Result.CachedPromptTokens);
        Assert.Equal((await ColdAsync(turn2)).Text, restored.Text);
    }

    [Fact]
    public async Task GenerateAsync_EvictedStateSpilledToDisk_IsRestoredFromTheFile()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1, SavedSequenceMemoryBytes = 0 });
        var (turn1, turn2) = await ConversationAsync(engine, "a");

        await Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest(models.Tiny.Tokenize("Another conversation entirely."), Greedy) { CacheKey = "b" }));
        await engine.FlushSavedSequencesAsync();
        Assert.Equal((0, 1), (engine.Status.SavedInMemory, engine.Status.SavedOnDisk));
        var restored = await Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest(turn2, Greedy) { CacheKey = "a" }));

        Assert.Equal(turn1.Length - 1, restored.Result.CachedPromptTokens);
        Assert.Equal((await ColdAsync(turn2)).Text, restored.Text);
    }

    [Fact]
    public async Task SaveSequencesAsync_ThenLoadIntoANewEngine_ContinuesTheConversationWithoutReevaluatingIt()
    {
        var folder = Path.Combine(models.Folder, "saved-" + Guid.NewGuid().ToString("N"));
        int[] turn1, turn2;
        await using (var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 2 }))
        {
            (turn1, turn2) = await ConversationAsync(engine, "conversation-1");
            Assert.Equal(["conversation-1"], await engine.SaveSequencesAsync(folder));
        }

        await using var reloaded = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 2 });
        var (loaded, rejected) = reloaded.LoadSequences(folder);
        var restored = await Generation.CollectAsync(reloaded.GenerateAsync(new GenerationRequest(turn2, Greedy) { CacheKey = "conversation-1" }));

        Assert.Equal(["conversation-1"], loaded);
        Assert.Empty(rejected);
        Assert.Equal(turn1.Length - 1, restored.Result.CachedPromptTokens);
        Assert.Equal((await ColdAsync(turn2)).Text, restored.Text);
    }

    [Fact]
    public async Task LoadSequence_SavedFromAnotherLayoutOrModel_IsAClearError()
    {
        var folder = Path.Combine(models.Folder, "incompatible-" + Guid.NewGuid().ToString("N"));
        await using (var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 2 }))
        {
            await ConversationAsync(engine, "c");
            await engine.SaveSequencesAsync(folder);
        }

        var file = Directory.GetFiles(folder).Single();
        await using var fewerSequences = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });
        using var otherModel = LlamaModel.Load(models.Write(LlamaFileType.MostlyF16, seed: 2));
        await using var otherEngine = new InferenceEngine(otherModel, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 2 });

        Assert.Contains("2 sequences, this one has 1", Assert.Throws<SequenceStateException>(() => fewerSequences.LoadSequence(file)).Message, StringComparison.Ordinal);
        Assert.Contains("another model", Assert.Throws<SequenceStateException>(() => otherEngine.LoadSequence(file)).Message, StringComparison.Ordinal);
        var notSaved = Path.Combine(folder, "garbage.seq");
        await File.WriteAllTextAsync(notSaved, "not a saved sequence");
        Assert.Contains("not a saved sequence", Assert.Throws<SequenceStateException>(() => otherEngine.LoadSequence(notSaved)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_SixteenConversationsOverFourSequences_EachTurnReusesItsHistory()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 4 });
        var histories = Enumerable.Range(0, 16).Select(i => models.Tiny.Tokenize($"Conversation {i} starts here with its own topic number {i * 7}.")).ToArray();

        for (var turn = 0; turn < 3; turn++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                var request = new GenerationRequest(histories[i], Greedy with { TopLogprobs = 0 }) { CacheKey = $"c{i}" };
                return (i, Generation: await Generation.CollectAsync(engine.GenerateAsync(request)));
            })));
            foreach (var (i, generation) in results)
            {
                // From turn 2 on: the previous turn's prompt and answer, but the answer's last token (sampled, never decoded).
                if (turn > 0)
                {
                    Assert.Equal(histories[i].Length - 1 - NextMessage.Length, generation.Result.CachedPromptTokens);
                }

                histories[i] = [.. histories[i], .. generation.Tokens, .. NextMessage];
            }
        }

        Assert.Equal(12, engine.Status.SavedInMemory);
    }

    private int[] NextMessage => models.Tiny.Tokenize(" User: next.", addSpecial: false);

    /// <summary>Turn 1 under <paramref name="key"/>; returns its prompt and the next turn's: prompt + answer + a new message.</summary>
    private async Task<(int[] Turn1, int[] Turn2)> ConversationAsync(InferenceEngine engine, string key)
    {
        var turn1 = models.Tiny.Tokenize("User: tell me a story about a lighthouse keeper.");
        var answer = new List<int>();
        var updates = engine.GenerateAsync(new GenerationRequest(turn1, Greedy with { TopLogprobs = 0 }) { CacheKey = key });
        await foreach (var update in updates)
        {
            answer.AddRange(update.Logprobs?.Select(logprob => logprob.Token) ?? []);
        }

        int[] turn2 = [.. turn1, .. answer, .. models.Tiny.Tokenize(" User: and then?", addSpecial: false)];
        return ([.. turn1, .. answer], turn2);
    }

    private async Task<Generation> ColdAsync(IReadOnlyList<int> prompt)
    {
        await using var cold = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });
        return await Generation.CollectAsync(cold.GenerateAsync(prompt, Greedy));
    }
}
