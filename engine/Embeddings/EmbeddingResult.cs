namespace ModelRunner.Engine.Embeddings;

/// <summary>Embeddings of a list of inputs, in input order, each of unit length (L2), as OpenAI returns them.</summary>
/// <param name="Vectors">One vector per input.</param>
/// <param name="PromptTokens">Tokens of all inputs together.</param>
public sealed record EmbeddingResult(IReadOnlyList<float[]> Vectors, int PromptTokens);
