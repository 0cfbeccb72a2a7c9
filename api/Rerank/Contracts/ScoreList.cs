namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>The answer of <c>POST /score</c> in vLLM's shape: one score per pair, in request order.</summary>
public sealed record ScoreList(string Id, long Created, string Model, IReadOnlyList<ScoreEntry> Data, ScoreUsage Usage)
{
    public string Object => "list";
}
