using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.Embeddings;

[Collection(TestModelCollection.Name)]
public sealed class EmbeddingEngineTests(TestModelFixture models)
{
    public static TheoryData<string> Shapes => new() { TestModelShape.Tiny.Name, TestModelShape.BertTiny.Name };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task EmbedAsync_SameInputTwice_GivesTheSameUnitVector(string shape)
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Parse(shape)));
        await using var engine = new EmbeddingEngine(model, new EmbeddingOptions { Threads = 1, ContextSize = 256 });

        var first = await engine.EmbedAsync(["The sea is calm tonight."]);
        var second = await engine.EmbedAsync(["The sea is calm tonight."]);

        Assert.Equal(first.Vectors[0], second.Vectors[0]);
        Assert.Equal(model.EmbeddingLength, first.Vectors[0].Length);
        Assert.Equal(1.0, Math.Sqrt(first.Vectors[0].Sum(v => (double)v * v)), precision: 5);
        Assert.Equal(model.Tokenize("The sea is calm tonight.").Length, first.PromptTokens);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task EmbedAsync_DifferentInputs_GiveDifferentVectors(string shape)
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Parse(shape)));
        await using var engine = new EmbeddingEngine(model, new EmbeddingOptions { Threads = 1, ContextSize = 256 });

        var result = await engine.EmbedAsync(["The sea is calm tonight.", "Quarterly revenue rose by four percent."]);

        Assert.NotEqual(result.Vectors[0], result.Vectors[1]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task EmbedAsync_ABatch_EqualsEachInputAlone(string shape)
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Parse(shape)));
        await using var engine = new EmbeddingEngine(model, new EmbeddingOptions { Threads = 1, ContextSize = 256, Sequences = 4 });
        string[] inputs = ["one", "two words", "a somewhat longer third input", "four", "five is in the second batch", "six"];

        var batch = await engine.EmbedAsync(inputs);
        var singles = new List<float[]>();
        foreach (var input in inputs)
        {
            singles.Add((await engine.EmbedAsync([input])).Vectors[0]);
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(singles[i].Length, batch.Vectors[i].Length);
            Assert.All(singles[i].Zip(batch.Vectors[i]), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));
        }
    }

    [Fact]
    public async Task EmbedAsync_InputLongerThanTheContext_ThrowsPromptTooLong()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.BertTiny));
        await using var engine = new EmbeddingEngine(model, new EmbeddingOptions { Threads = 1, ContextSize = 64 });

        await Assert.ThrowsAsync<PromptTooLongException>(() => engine.EmbedAsync([string.Join(' ', Enumerable.Repeat("word", 100))]));
        Assert.Single((await engine.EmbedAsync(["still serving"])).Vectors);
    }
}
