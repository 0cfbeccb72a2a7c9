using System.Text.Json.Serialization;
using ModelRunner.Api.Ollama.Contracts;

namespace ModelRunner.Api.Ollama;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(TagsResponse))]
[JsonSerializable(typeof(PsResponse))]
[JsonSerializable(typeof(ShowResponse))]
[JsonSerializable(typeof(ChatResponse))]
[JsonSerializable(typeof(GenerateResponse))]
[JsonSerializable(typeof(EmbedResponse))]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(PullStatus))]
[JsonSerializable(typeof(PullError))]
[JsonSerializable(typeof(string))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
