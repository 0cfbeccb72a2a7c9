using ModelRunner.Distribution.Artifacts;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// A model in the local store: its id, tags, description and the files the engine loads. Immutable; a later tag
/// or removal gives a new instance rather than changing this one.
/// </summary>
public sealed record LocalModel
{
    /// <summary>The model id: the digest of its manifest, <c>sha256:&lt;64 hex&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The first 12 hex digits of the id, as <c>docker model ls</c> shows it.</summary>
    public string ShortId => Id.Substring(7, 12);

    /// <summary>The tags pointing at this model, in familiar form (<c>ai/smollm2:latest</c>); empty for an untagged model.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>When the model was built (the config's <c>created</c>), or when it was stored if the config has no date.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Format, quantization, parameters, architecture, size, GGUF metadata and context size.</summary>
    public required ModelConfig Config { get; init; }

    /// <summary>The artifact's media-type family.</summary>
    public required ArtifactFormat Format { get; init; }

    /// <summary>The GGUF files to load, in shard order (one for an unsharded model). Absolute paths in the store; read only.</summary>
    public required IReadOnlyList<string> GgufPaths { get; init; }

    /// <summary>The license files, if the artifact has any.</summary>
    public IReadOnlyList<string> LicensePaths { get; init; } = [];

    /// <summary>A Jinja chat template that overrides the GGUF's own, if the artifact has one.</summary>
    public string? ChatTemplatePath { get; init; }

    /// <summary>The multimodal projector (a GGUF file), if the artifact has one. This engine keeps it but does not load it yet.</summary>
    public string? MultimodalProjectorPath { get; init; }

    /// <summary>The bytes of all the model's blobs (config and layers).</summary>
    public required long Size { get; init; }
}
