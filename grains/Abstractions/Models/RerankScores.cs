namespace ModelRunner.Grains.Models;

/// <summary>How relevant each document is to a query, in the documents' order.</summary>
/// <param name="Scores">The reranker's raw score per document; higher is more relevant.</param>
/// <param name="PromptTokens">Tokens of every query–document pair together.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.rerank-scores")]
public sealed record RerankScores([property: Id(0)] IReadOnlyList<float> Scores, [property: Id(1)] int PromptTokens);
