using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class ContinuousBatchingTests(TestModelFixture models)
{
    private static readonly string[] Prompts =
    [
        "The quick brown fox", "Once upon a time", "In the beginning", "Hello world",
        "A B C D", "Zebras are", "The capital of", "Why is the sky",
    ];

    [Theory]
    [InlineData(LlamaFileType.MostlyF16, 8)]
    [InlineData(LlamaFileType.Q4_K_M, 8)]
    [InlineData(LlamaFileType.MostlyF16, 3)]
    public async Task GenerateAsync_EightConcurrentGreedyRequests_EachEqualsItsSoloOutput(LlamaFileType type, int sequences)
    {
        using var model = LlamaModel.Load(models.Write(type));
        await using var solo = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 1 });
        var expected = new List<string>();
        foreach (var prompt in Prompts)
        {
            expected.Add((await Generation.GreedyAsync(solo, prompt, 24)).Text);
        }

        await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = sequences });
        var together = await Task.WhenAll(Prompts.Select(prompt => Task.Run(() => Generation.GreedyAsync(engine, prompt, 24))));

        Assert.Equal(expected, together.Select(generation => generation.Text));
        Assert.Equal(0, engine.Status.ActiveRequests);
    }

    [Fact]
    public async Task GenerateAsync_RepackedWeights_EightConcurrentRequestsEachGetTheirAnswer()
    {
        // Repacked kernels round differently for one token and for many, so only completeness
        // is asserted here; the batch-invariance above holds for the default layout.
        using var model = LlamaModel.Load(models.Write(LlamaFileType.Q4_K_M), new ModelLoadOptions { RepackWeights = true });
        await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 2, ContextSize = 256, Sequences = 8 });

        var together = await Task.WhenAll(Prompts.Select(prompt => Task.Run(() => Generation.GreedyAsync(engine, prompt, 24))));

        Assert.All(together, generation => Assert.True(
            generation.Result is { Reason: FinishReason.Length, CompletionTokens: 24 } or { Reason: FinishReason.Stop, CompletionTokens: > 0 },
            $"every request should answer until its limit or its end of text: {generation}"));
        Assert.Equal(0, engine.Status.ActiveRequests);
    }

    [Fact]
    public async Task GenerateAsync_OneCancelledMidBatch_FreesItsSequenceAndOthersAreUnaffected()
    {
        await using var solo = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 1 });
        var expected = await Task.WhenAll(Prompts[..3].Select(prompt => Generation.GreedyAsync(solo, prompt, 40)));
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 4 });
        using var cancellation = new CancellationTokenSource();

        var victim = Task.Run(async () =>
        {
            var received = 0;
            await foreach (var update in engine.GenerateAsync(Prompts[3], new GenerationOptions { MaxTokens = 200, Sampling = SamplingOptions.Greedy }, cancellation.Token))
            {
                if (++received == 5)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        var others = Prompts[..3].Select(prompt => Task.Run(() => Generation.GreedyAsync(engine, prompt, 40))).ToArray();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => victim);
        Assert.Equal(expected.Select(g => g.Text), (await Task.WhenAll(others)).Select(g => g.Text));
        Assert.Equal(0, engine.Status.ActiveRequests);
    }

    [Fact]
    public async Task GenerateAsync_EverySequenceBusyAndQueueFull_ThrowsBusy()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 4096, Sequences = 1, MaxQueuedRequests = 1 });
        using var stop = new CancellationTokenSource();
        var long1 = new GenerationOptions { MaxTokens = 3000, Sampling = SamplingOptions.Greedy };
        var first = engine.GenerateAsync("a long answer", long1, stop.Token).GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync());
        var second = Task.Run(() => Generation.GreedyAsync(engine, "waiting", 4));
        await Eventually.TrueAsync(() => engine.Status.QueuedRequests == 1, "the second request should be queued");

        var busy = await Assert.ThrowsAsync<EngineBusyException>(() => Generation.GreedyAsync(engine, "refused", 4));

        Assert.Contains("busy", busy.Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { while (await first.MoveNextAsync()) { } });
        await first.DisposeAsync();
        Assert.Equal(4, (await second).Result.CompletionTokens);
    }

    [Fact]
    public async Task GenerateAsync_WaitingRequestCancelled_LeavesTheQueue()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 4096, Sequences = 1 });
        using var stopFirst = new CancellationTokenSource();
        using var stopWaiting = new CancellationTokenSource();
        var first = engine.GenerateAsync("a long answer", new GenerationOptions { MaxTokens = 3000, Sampling = SamplingOptions.Greedy }, stopFirst.Token).GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync());
        var waiting = Task.Run(() => Generation.CollectAsync(engine.GenerateAsync("queued", new GenerationOptions { MaxTokens = 4 }, stopWaiting.Token)));
        await Eventually.TrueAsync(() => engine.Status.QueuedRequests == 1, "the request should be queued");

        await stopWaiting.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, engine.Status.QueuedRequests);
        await stopFirst.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { while (await first.MoveNextAsync()) { } });
        await first.DisposeAsync();
    }
}
