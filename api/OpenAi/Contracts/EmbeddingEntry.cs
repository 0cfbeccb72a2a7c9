using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>One input's embedding: floats, or base64 of little-endian float32s.</summary>
public sealed record EmbeddingEntry(int Index, object Embedding)
{
    public string Object => "embedding";
}
