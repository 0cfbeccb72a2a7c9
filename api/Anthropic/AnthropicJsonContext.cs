using System.Text.Json.Serialization;
using ModelRunner.Api.Anthropic.Contracts;

namespace ModelRunner.Api.Anthropic;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(StreamEvent))]
[JsonSerializable(typeof(TokenCount))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
