using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class InferenceEngineTests(TestModelFixture models)
{
    private const string Prompt = "The quick brown fox";

    [Fact]
    public async Task GenerateAsync_GreedyTwice_ProducesIdenticalText()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256 });

        var first = await Generation.GreedyAsync(engine, Prompt, 32);
        var second = await Generation.GreedyAsync(engine, Prompt, 32);

        Assert.NotEmpty(first.Text);
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task GenerateAsync_MaxTokens_StopsAtExactlyThatManyWithLength()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256 });

        var generation = await Generation.GreedyAsync(engine, Prompt, 7);

        Assert.Equal(FinishReason.Length, generation.Result.Reason);
        Assert.Equal(7, generation.Result.CompletionTokens);
        Assert.Equal(models.Tiny.Tokenize(Prompt, addSpecial: true, parseSpecial: true).Length, generation.Result.PromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_StopString_EndsBeforeItAndNeverStreamsPartOfIt()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256 });
        var full = await Generation.GreedyAsync(engine, Prompt, 48);
        var middle = full.Text.Length / 2;
        var stop = full.Text.Substring(middle, Math.Min(3, full.Text.Length - middle));

        var stopped = await Generation.GreedyAsync(engine, Prompt, 48, stop);

        Assert.Equal(full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(FinishReason.Stop, stopped.Result.Reason);
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_ThrowsAndLeavesTheEngineServingFromAClearSequence()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 512 });
        var expected = await Generation.GreedyAsync(engine, Prompt, 16);
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var options = new GenerationOptions { MaxTokens = 400, Sampling = SamplingOptions.Greedy };
            await foreach (var update in engine.GenerateAsync(Prompt, options, cancellation.Token))
            {
                if (++received == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        var after = await Generation.GreedyAsync(engine, Prompt, 16);
        Assert.Equal(3, received);
        Assert.Equal(expected.Text, after.Text);
    }

    [Fact]
    public async Task GenerateAsync_ConsumerBreaksEarly_NextRequestIsUnaffected()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256 });
        var expected = await Generation.GreedyAsync(engine, "Once upon a time", 12);

        await foreach (var update in engine.GenerateAsync(Prompt, new GenerationOptions { MaxTokens = 200, Sampling = SamplingOptions.Greedy }))
        {
            break;
        }

        Assert.Equal(expected.Text, (await Generation.GreedyAsync(engine, "Once upon a time", 12)).Text);
    }

    [Fact]
    public async Task GenerateAsync_SameSeed_SamplesTheSameText()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256 });
        var options = new GenerationOptions { MaxTokens = 24, Sampling = new SamplingOptions { Temperature = 1.2f, Seed = 42, RepeatPenalty = 1.1f, PresencePenalty = 0.2f, FrequencyPenalty = 0.1f } };

        var first = await Generation.CollectAsync(engine.GenerateAsync(Prompt, options));
        var second = await Generation.CollectAsync(engine.GenerateAsync(Prompt, options));
        var otherSeed = await Generation.CollectAsync(engine.GenerateAsync(Prompt, options with { Sampling = options.Sampling with { Seed = 7 } }));

        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, otherSeed.Text);
    }

    [Fact]
    public async Task GenerateAsync_PromptLongerThanContext_ThrowsPromptTooLong()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 64 });
        var prompt = string.Join(' ', Enumerable.Repeat("word", 2000));

        var exception = await Assert.ThrowsAsync<PromptTooLongException>(async () => await Generation.GreedyAsync(engine, prompt, 4));

        Assert.Equal(engine.ContextSize, exception.ContextSize);
        Assert.True(exception.PromptTokens > exception.ContextSize);
    }

    [Fact]
    public async Task GenerateAsync_ContextFills_EndsWithLength()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 64 });

        var generation = await Generation.CollectAsync(engine.GenerateAsync(Prompt, new GenerationOptions { Sampling = SamplingOptions.Greedy }));

        Assert.Equal(FinishReason.Length, generation.Result.Reason);
        Assert.Equal(engine.ContextSize, generation.Result.PromptTokens + generation.Result.CompletionTokens);
    }

    [Fact]
    public async Task GenerateAsync_InvalidSampling_ThrowsNamingTheField()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 64 });
        var options = new GenerationOptions { Sampling = new SamplingOptions { TopP = 1.5f } };

        var exception = await Assert.ThrowsAsync<InvalidOptionException>(async () => await Generation.CollectAsync(engine.GenerateAsync(Prompt, options)));

        Assert.Equal(nameof(SamplingOptions.TopP), exception.ParamName);
    }

    [Theory]
    [InlineData(LlamaFileType.Q8_0)]
    [InlineData(LlamaFileType.Q4_K_M)]
    public async Task GenerateAsync_QuantizedModel_LoadsAndGenerates(LlamaFileType type)
    {
        using var model = LlamaModel.Load(models.Write(type));
        await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = 128 });

        var generation = await Generation.GreedyAsync(engine, Prompt, 8);

        Assert.Equal(type, model.Gguf.FileType);
        Assert.Equal(8, generation.Result.CompletionTokens);
        Assert.NotEmpty(generation.Text);
    }
}
