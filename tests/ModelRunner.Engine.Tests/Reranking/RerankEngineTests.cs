using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Reranking;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.Reranking;

[Collection(TestModelCollection.Name)]
public sealed class RerankEngineTests(TestModelFixture models)
{
    private const string Query = "How deep is the ocean?";

    [Fact]
    public async Task ScoreAsync_SameDocumentTwice_ScoresItTheSameAndOthersDifferently()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Reranker));
        await using var engine = new RerankEngine(model, contextSize: 256, threads: 1);

        var result = await engine.ScoreAsync(Query, ["The ocean is four kilometres deep on average.", "Bread rises in a warm kitchen.", "The ocean is four kilometres deep on average."]);

        Assert.Equal(3, result.Scores.Count);
        Assert.Equal(result.Scores[0], result.Scores[2]);
        Assert.NotEqual(result.Scores[0], result.Scores[1]);
        Assert.All(result.Scores, score => Assert.True(float.IsFinite(score)));
    }

    [Fact]
    public async Task ScoreAsync_AnotherQuery_ChangesTheScore()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Reranker));
        await using var engine = new RerankEngine(model, contextSize: 256, threads: 1);
        string[] documents = ["The ocean is four kilometres deep on average."];

        var first = await engine.ScoreAsync(Query, documents);
        var second = await engine.ScoreAsync("Where does bread come from?", documents);

        Assert.NotEqual(first.Scores[0], second.Scores[0]);
    }

    [Fact]
    public async Task ScoreAsync_ABatch_EqualsEachDocumentAlone()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Reranker));
        await using var engine = new RerankEngine(model, contextSize: 256, sequences: 2, threads: 1);
        string[] documents = ["one", "two words", "a somewhat longer third document", "four", "five is in the third batch"];

        var batch = await engine.ScoreAsync(Query, documents);

        for (var i = 0; i < documents.Length; i++)
        {
            var alone = await engine.ScoreAsync(Query, [documents[i]]);
            Assert.Equal(alone.Scores[0], batch.Scores[i], 1e-4f);
        }
    }

    [Fact]
    public async Task ScoreAsync_JoinsQueryAndDocumentWithTheVocabularysSpecialTokens()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Reranker));
        await using var engine = new RerankEngine(model, contextSize: 256, threads: 1);
        const string document = "Bread rises in a warm kitchen.";

        var result = await engine.ScoreAsync(Query, [document]);

        // The BGE WordPiece vocabulary asks for BOS ([CLS]) and the separator, not EOS: llama-server's
        // rule gives [CLS] query [SEP] document, which is what tokenizing the query with its specials
        // ([CLS] query [SEP]) and appending the bare document gives.
        var expected = model.Tokenize(Query, addSpecial: true).Length + model.Tokenize(document, addSpecial: false).Length;
        Assert.Equal(expected, result.PromptTokens);
    }

    [Fact]
    public void Constructor_EmbeddingModelWithoutRankPooling_IsRefused()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.BertTiny));

        Assert.False(RerankEngine.IsReranker(model));
        var refused = Assert.Throws<InvalidOptionException>(() => new RerankEngine(model, contextSize: 256, threads: 1));
        Assert.Contains("not a reranking model", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_NoDocuments_IsRefused()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.Reranker));
        await using var engine = new RerankEngine(model, contextSize: 256, threads: 1);

        await Assert.ThrowsAsync<InvalidOptionException>(() => engine.ScoreAsync(Query, []));
        await Assert.ThrowsAsync<InvalidOptionException>(() => engine.ScoreAsync("", ["a document"]));
    }
}
