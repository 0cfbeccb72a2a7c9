namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>One document's place: its index in the request, its score, and (when asked) its text.</summary>
public sealed record RerankEntry(int Index, float RelevanceScore, RerankDocument? Document = null);
