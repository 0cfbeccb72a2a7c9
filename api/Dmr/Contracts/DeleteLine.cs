using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>One line of a delete's answer, Docker-style: a tag removed, or the model deleted.</summary>
public sealed record DeleteLine(
    [property: JsonPropertyName("Untagged")] string? Untagged = null,
    [property: JsonPropertyName("Deleted")] string? Deleted = null);
