using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Tests.Support;
using ModelRunner.Engine.Threading;

namespace ModelRunner.Engine.Tests.Threading;

[Collection(TestModelCollection.Name)]
public sealed class DecodeThreadsTests(TestModelFixture models)
{
    [Theory]
    [InlineData(2.0, 2, 2)]
    [InlineData(1.7, 2, 2)]
    [InlineData(1.5, 2, 1)]
    [InlineData(1.0, 2, 1)]
    [InlineData(0.0, 2, 1)]
    [InlineData(7.9, 8, 8)]
    [InlineData(5.2, 8, 5)]
    [InlineData(16.0, 8, 8)]
    public void ForFreeCores_CoresOthersLeave_ThreadsThatEachGetACore(double freeCores, int maximum, int expected) =>
        Assert.Equal(expected, DecodeThreads.ForFreeCores(freeCores, maximum));

    [Fact]
    public void AutomaticMaximum_TinyModel_IsOneThread() =>
        Assert.Equal(1, DecodeThreads.AutomaticMaximum(models.Tiny.ParameterCount));

    [Fact]
    public void AutomaticMaximum_ModelOfHundredsOfMillionsOfParameters_IsEveryCore() =>
        Assert.Equal(Environment.ProcessorCount, DecodeThreads.AutomaticMaximum(360_000_000));

    [Fact]
    public async Task ComputeThreads_TinyModelWithoutThreadsOption_IsOne()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { ContextSize = 256, Sequences = 1 });

        await Generation.GreedyAsync(engine, "Once upon a time", 8);

        Assert.Equal(1, engine.ComputeThreads);
    }

    [Fact]
    public async Task GenerateAsync_ThreeThreadsOnTheEnginesPool_SameTextAsOneThread()
    {
        await using var single = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 2 });
        await using var pooled = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 3, BatchThreads = 2, ContextSize = 256, Sequences = 2 });
        string[] prompts = ["The quick brown fox", "In the beginning"];

        var expected = await Task.WhenAll(prompts.Select(prompt => Generation.GreedyAsync(single, prompt, 24)));
        var actual = await Task.WhenAll(prompts.Select(prompt => Generation.GreedyAsync(pooled, prompt, 24)));

        Assert.Equal(expected.Select(generation => generation.Text), actual.Select(generation => generation.Text));
        Assert.Equal(3, pooled.ComputeThreads);
    }
}
