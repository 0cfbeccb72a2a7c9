using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class LogprobTests(TestModelFixture models)
{
    [Fact]
    public async Task GenerateAsync_TopLogprobs_ReportsEveryTokenWithSortedAlternatives()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 1 });
        var options = new GenerationOptions { MaxTokens = 12, Sampling = SamplingOptions.Greedy, TopLogprobs = 5 };

        var logprobs = new List<TokenLogprob>();
        var text = "";
        await foreach (var update in engine.GenerateAsync("Tell me something", options))
        {
            logprobs.AddRange(update.Logprobs ?? []);
            text += update.Text;
        }

        Assert.Equal(12, logprobs.Count);
        Assert.All(logprobs, logprob =>
        {
            Assert.InRange(logprob.Logprob, float.MinValue, 0f);
            Assert.Equal(5, logprob.TopAlternatives.Count);
            Assert.Equal(logprob.TopAlternatives.OrderByDescending(a => a.Logprob).Select(a => a.Token), logprob.TopAlternatives.Select(a => a.Token));
            // Greedy picks the most likely token.
            Assert.Equal(logprob.TopAlternatives[0].Token, logprob.Token);
            Assert.Equal(logprob.TopAlternatives[0].Logprob, logprob.Logprob);
        });
        Assert.Equal(text, models.Tiny.Detokenize(logprobs.Select(logprob => logprob.Token)));
    }

    [Fact]
    public async Task GenerateAsync_NoLogprobsAsked_ReportsNone()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 1 });

        await foreach (var update in engine.GenerateAsync("Tell me something", new GenerationOptions { MaxTokens = 4 }))
        {
            Assert.Null(update.Logprobs);
        }
    }
}
