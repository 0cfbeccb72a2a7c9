using System.Text.Json.Serialization;

namespace ModelRunner.Api.Cluster;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RegistryErrors))]
[JsonSerializable(typeof(ClusterNode))]
[JsonSerializable(typeof(NodePlacement))]
[JsonSerializable(typeof(IReadOnlyList<ModelRunner.Grains.Models.ModelStatus>))]
[JsonSerializable(typeof(IReadOnlyList<ClusterNode>))]
[JsonSerializable(typeof(IReadOnlyList<ListedModel>))]
[JsonSerializable(typeof(ModelRunner.Distribution.Store.RemoveResult))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
