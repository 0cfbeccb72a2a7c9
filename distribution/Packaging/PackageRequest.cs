using ModelRunner.Distribution.Artifacts;

namespace ModelRunner.Distribution.Packaging;

/// <summary>What <c>docker model package</c> takes: GGUF file(s), optional licenses, chat template, projector, format and context size, and the tags to give the result.</summary>
public sealed record PackageRequest
{
    /// <summary>
    /// The GGUF file, or the shards of a split model in order. A single path named like <c>model-00001-of-00003.gguf</c>
    /// brings its sibling shards along.
    /// </summary>
    public required IReadOnlyList<string> GgufPaths { get; init; }

    /// <summary>License files, each one layer.</summary>
    public IReadOnlyList<string> LicensePaths { get; init; } = [];

    /// <summary>A Jinja chat template that overrides the GGUF's own (at most 1 MiB of UTF-8).</summary>
    public string? ChatTemplatePath { get; init; }

    /// <summary>A multimodal projector (a GGUF file) to carry as its own layer, as vision models have.</summary>
    public string? MultimodalProjectorPath { get; init; }

    /// <summary>
    /// The artifact format: Docker Model Runner's (the default) or CNCF ModelPack's. ModelPack has no field for a
    /// context size, so <see cref="ContextSize"/> must be null with it.
    /// </summary>
    public ArtifactFormat Format { get; init; } = ArtifactFormat.Docker;

    /// <summary>The default context size to record; null records the model's trained context length.</summary>
    public int? ContextSize { get; init; }

    /// <summary>The tags for the packaged model, e.g. <c>myorg/mistral:Q4_K_M</c>; none leaves it untagged.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The creation time to record; null records now. A fixed time makes the same files give the same model id.</summary>
    public DateTimeOffset? Created { get; init; }
}
