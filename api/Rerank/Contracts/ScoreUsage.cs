namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>Tokens read for <c>/score</c>; nothing is generated.</summary>
public sealed record ScoreUsage(int PromptTokens, int TotalTokens)
{
    public int CompletionTokens => 0;
}
