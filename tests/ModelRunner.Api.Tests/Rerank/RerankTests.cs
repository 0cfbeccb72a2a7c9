using System.Net;
using System.Text;
using System.Text.Json;

namespace ModelRunner.Api.Tests.Rerank;

/// <summary><c>/rerank</c> and <c>/score</c> on a generated reranker, in llama-server's, TEI's and vLLM's shapes.</summary>
[Collection(ServerCollection.Name)]
public sealed class RerankTests(ServerFixture fixture)
{
    private const string Query = "How deep is the ocean?";
    private static readonly string[] Documents = ["The ocean is four kilometres deep on average.", "Bread rises in a warm kitchen.", "Tides follow the moon.", "A violin has four strings."];

    private HttpClient Http => fixture.Http;

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static string RerankBody(string extra = "") =>
        JsonSerializer.Serialize(new { model = TestServer.RerankModel, query = Query, documents = Documents })[..^1] + extra + "}";

    [Theory]
    [InlineData("/rerank")]
    [InlineData("/v1/rerank")]
    [InlineData("/engines/rerank")]
    [InlineData("/engines/v1/rerank")]
    [InlineData("/engines/llama.cpp/v1/rerank")]
    public async Task Rerank_EveryRoute_RanksEveryDocumentMostRelevantFirst(string path)
    {
        var (status, body) = await PostAsync(path, RerankBody());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(TestServer.RerankModel, body.GetProperty("model").GetString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], results.Select(result => result.GetProperty("index").GetInt32()).Order());
        var scores = results.Select(result => result.GetProperty("relevance_score").GetSingle()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.True(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 4);
    }

    [Fact]
    public async Task Rerank_Scores_AreWhatScoreGivesForEachPair()
    {
        var (_, ranked) = await PostAsync("/v1/rerank", RerankBody());
        var (status, scored) = await PostAsync("/score", JsonSerializer.Serialize(new { model = TestServer.RerankModel, text_1 = Query, text_2 = Documents }));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", scored.GetProperty("object").GetString());
        var data = scored.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], data.Select(entry => entry.GetProperty("index").GetInt32()));
        Assert.All(data, entry => Assert.Equal("score", entry.GetProperty("object").GetString()));
        foreach (var result in ranked.GetProperty("results").EnumerateArray())
        {
            var index = result.GetProperty("index").GetInt32();
            Assert.Equal(data[index].GetProperty("score").GetSingle(), result.GetProperty("relevance_score").GetSingle());
        }
    }

    [Fact]
    public async Task Score_PairwiseLists_ScoreEachPairAlone()
    {
        var (_, pairwise) = await PostAsync("/engines/llama.cpp/score", JsonSerializer.Serialize(new { model = TestServer.RerankModel, text_1 = new[] { Query, "Where does bread come from?" }, text_2 = new[] { Documents[0], Documents[1] } }));
        var (_, second) = await PostAsync("/score", JsonSerializer.Serialize(new { model = TestServer.RerankModel, text_1 = "Where does bread come from?", text_2 = Documents[1] }));

        var data = pairwise.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal(second.GetProperty("data")[0].GetProperty("score").GetSingle(), data[1].GetProperty("score").GetSingle());
    }

    [Fact]
    public async Task Rerank_TopNAndReturnDocuments_KeepsTheBestWithTheirText()
    {
        var (_, all) = await PostAsync("/rerank", RerankBody());
        var (_, top) = await PostAsync("/rerank", RerankBody(""","top_n":2,"return_documents":true"""));

        var results = top.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        var best = all.GetProperty("results").EnumerateArray().Take(2).Select(result => result.GetProperty("index").GetInt32());
        Assert.Equal(best, results.Select(result => result.GetProperty("index").GetInt32()));
        Assert.All(results, result => Assert.Equal(Documents[result.GetProperty("index").GetInt32()], result.GetProperty("document").GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Rerank_TextsInsteadOfDocuments_AnswersInTeisShape()
    {
        var (status, body) = await PostAsync("/rerank", JsonSerializer.Serialize(new { model = TestServer.RerankModel, query = Query, texts = Documents, return_text = true }));

        Assert.Equal(HttpStatusCode.OK, status);
        var ranks = body.EnumerateArray().ToList();
        Assert.Equal(Documents.Length, ranks.Count);
        var scores = ranks.Select(rank => rank.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(ranks, rank => Assert.Equal(Documents[rank.GetProperty("index").GetInt32()], rank.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("/rerank", """{"query":"q","documents":["d"]}""", 400, "model")]
    [InlineData("/rerank", """{"model":"ai/reranker-tiny","documents":["d"]}""", 400, "query")]
    [InlineData("/rerank", """{"model":"ai/reranker-tiny","query":"q"}""", 400, "documents")]
    [InlineData("/v1/rerank", """{"model":"ai/reranker-tiny","query":"q","documents":[]}""", 400, "documents")]
    [InlineData("/rerank", """{"model":"ai/reranker-tiny","query":"q","documents":[1]}""", 400, "documents")]
    [InlineData("/rerank", """{"model":"ai/reranker-tiny","query":"q","documents":["d"],"top_n":0}""", 400, "top_n")]
    [InlineData("/rerank", """{"model":"ai/nowhere","query":"q","documents":["d"]}""", 404, "model")]
    [InlineData("/engines/rerank", """{"model":"ai/bert-tiny","query":"q","documents":["d"]}""", 400, "model")]
    [InlineData("/score", """{"model":"ai/reranker-tiny","text_1":["a","b","c"],"text_2":["d","e"]}""", 400, "text_1")]
    [InlineData("/score", """{"model":"ai/reranker-tiny","text_1":"a"}""", 400, "text_2")]
    [InlineData("/score", """{"model":"ai/reranker-tiny","text_1":"a","text_2":""", 400, null)]
    public async Task BadRequests_GetOpenAisErrorShape(string path, string json, int status, string? param)
    {
        var (actual, body) = await PostAsync(path, json);

        Assert.Equal(status, (int)actual);
        var error = body.GetProperty("error");
        Assert.NotEmpty(error.GetProperty("message").GetString()!);
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }
}
