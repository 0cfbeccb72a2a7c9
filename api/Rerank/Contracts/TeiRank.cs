namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>One entry of the Text Embeddings Inference shape (a request with <c>texts</c>): a bare array, most relevant first.</summary>
public sealed record TeiRank(int Index, float Score, string? Text = null);
