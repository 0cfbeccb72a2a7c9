using System.Text.Json.Serialization;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>The config blob of Docker Model Runner's artifact format.</summary>
internal sealed record DockerModelConfigFile
{
    [JsonPropertyName("config")]
    public ModelConfig? Config { get; init; }

    [JsonPropertyName("descriptor")]
    public DockerModelDescriptor? Descriptor { get; init; }

    [JsonPropertyName("rootfs")]
    public DockerModelRootFs? RootFs { get; init; }
}
