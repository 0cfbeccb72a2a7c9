using System.Text.Json.Serialization;
using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Api.Observability;

namespace ModelRunner.Api.Dmr;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<DmrModel>))]
[JsonSerializable(typeof(DmrModel))]
[JsonSerializable(typeof(ProgressLine))]
[JsonSerializable(typeof(RepackageResponse))]
[JsonSerializable(typeof(IReadOnlyList<RunnerStatus>))]
[JsonSerializable(typeof(DiskUsage))]
[JsonSerializable(typeof(UnloadResponse))]
[JsonSerializable(typeof(ModelConfiguration))]
[JsonSerializable(typeof(EngineStatus))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(IReadOnlyList<DeleteLine>))]
[JsonSerializable(typeof(IReadOnlyList<RequestRecord>))]
[JsonSerializable(typeof(RequestRecord))]
internal sealed partial class DmrJsonContext : JsonSerializerContext;
