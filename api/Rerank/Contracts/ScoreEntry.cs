namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>The score of the pair at <see cref="Index"/>.</summary>
public sealed record ScoreEntry(int Index, float Score)
{
    public string Object => "score";
}
