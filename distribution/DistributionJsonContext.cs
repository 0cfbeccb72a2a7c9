using System.Text.Json;
using System.Text.Json.Serialization;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.HuggingFace;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution;

/// <summary>
/// Source-generated JSON for every document this library reads or writes: OCI manifests and indexes, model configs,
/// the store's index, registry token and error responses, the Hub's model info, Docker's config file. Web defaults
/// (camelCase, as OCI documents are); nulls are left out so written manifests carry only what they mean.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(DockerModelConfigFile))]
[JsonSerializable(typeof(ModelPackConfigFile))]
[JsonSerializable(typeof(ModelConfig))]
[JsonSerializable(typeof(StoreIndex))]
[JsonSerializable(typeof(StoreLayoutFile))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryErrorResponse))]
[JsonSerializable(typeof(DockerConfigFile))]
[JsonSerializable(typeof(HubModelInfo))]
internal sealed partial class DistributionJsonContext : JsonSerializerContext;
