namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>The answer of <c>POST /rerank</c> in llama-server's (Jina's) shape: results by relevance, most relevant first.</summary>
public sealed record RerankList(string Model, RerankUsage Usage, IReadOnlyList<RerankEntry> Results)
{
    public string Object => "list";
}
