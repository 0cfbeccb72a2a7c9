namespace ModelRunner.Api.Rerank.Contracts;

/// <summary>A document echoed back with <c>return_documents</c>.</summary>
public sealed record RerankDocument(string Text);
