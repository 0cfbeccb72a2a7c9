namespace ModelRunner.Grains.Models;

/// <summary>Embeddings of a list of inputs, in input order, each of unit length (L2).</summary>
/// <param name="Vectors">One vector per input.</param>
/// <param name="PromptTokens">Tokens of all inputs together.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.embedding-vectors")]
public sealed record EmbeddingVectors([property: Id(0)] IReadOnlyList<float[]> Vectors, [property: Id(1)] int PromptTokens);
