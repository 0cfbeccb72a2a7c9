using System.Text.Json.Serialization;
using ModelRunner.Api.Rerank.Contracts;

namespace ModelRunner.Api.Rerank;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RerankList))]
[JsonSerializable(typeof(IReadOnlyList<TeiRank>))]
[JsonSerializable(typeof(ScoreList))]
internal sealed partial class RerankJsonContext : JsonSerializerContext;
