using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

public sealed class GreedyTokenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(49152)]
    public void ArgMax_HighestLogitAnywhere_ItsIndex(int length)
    {
        var random = new Random(length);
        var logits = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        foreach (var position in new[] { 0, length / 2, length - 1 })
        {
            var copy = (float[])logits.Clone();
            copy[position] = 11f;

            Assert.Equal(position, GreedyToken.ArgMax(copy));
        }
    }

    [Fact]
    public void ArgMax_TiedHighest_TheFirstLikeLlamaCppsGreedySampler()
    {
        var logits = new float[100];
        Array.Fill(logits, -3f);
        logits[13] = 5f;
        logits[42] = 5f;
        logits[99] = 5f;

        Assert.Equal(13, GreedyToken.ArgMax(logits));
    }

    [Fact]
    public void ArgMax_AllNegative_TheLeastNegative()
    {
        float[] logits = [-9f, -8f, -7.5f, -8f, -20f, -7.75f, -30f, -9f, -10f, -7.6f];

        Assert.Equal(2, GreedyToken.ArgMax(logits));
    }
}
