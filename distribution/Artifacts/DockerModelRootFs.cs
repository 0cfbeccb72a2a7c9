using System.Text.Json.Serialization;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>The layer digests of a Docker model config, as in an image config's rootfs.</summary>
internal sealed record DockerModelRootFs
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string>? DiffIds { get; init; }
}
