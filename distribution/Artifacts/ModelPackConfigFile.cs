using System.Text.Json.Serialization;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>The config blob of a CNCF ModelPack artifact (camelCase, as the spec writes it).</summary>
internal sealed record ModelPackConfigFile
{
    public ModelPackDescriptor? Descriptor { get; init; }

    [JsonPropertyName("modelfs")]
    public ModelPackModelFs? ModelFs { get; init; }

    public ModelPackModelConfig? Config { get; init; }
}
