namespace ModelRunner.Engine.Reranking;

/// <summary>The relevance of each document to a query, in the documents' order.</summary>
/// <param name="Scores">The classifier's raw score per document (higher is more relevant; not a probability).</param>
/// <param name="PromptTokens">Tokens evaluated, over every query–document pair.</param>
public sealed record RerankResult(IReadOnlyList<float> Scores, int PromptTokens);
