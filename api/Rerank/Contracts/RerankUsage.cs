namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>Tokens read over every query–document pair.</summary>
public sealed record RerankUsage(int PromptTokens, int TotalTokens);
