using System.Text.Json.Serialization;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>The provenance part of a Docker model config.</summary>
internal sealed record DockerModelDescriptor
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }
}
