using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>A model's <c>_configure</c> settings, with DMR's hyphenated names.</summary>
public sealed record ModelConfiguration(
    string Model,
    [property: JsonPropertyName("context-size")] int? ContextSize,
    [property: JsonPropertyName("runtime-flags")] IReadOnlyList<string> RuntimeFlags,
    [property: JsonPropertyName("keep_alive")] string? KeepAlive,
    [property: JsonPropertyName("replicas")] int? Replicas);
