using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>The legacy <c>/api/embeddings</c> answer.</summary>
public sealed record EmbeddingResponse(float[] Embedding);
