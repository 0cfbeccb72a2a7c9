using ModelRunner.Distribution.Artifacts;

namespace ModelRunner.Distribution.Packaging;

/// <summary>
/// What <c>docker model package --from MODEL</c> changes in a stored model: the context size, the chat template, added
/// licenses, the artifact format. The weights and licenses are reused as they are (no copy).
/// </summary>
public sealed record RepackageRequest
{
    /// <summary>The tags for the new model, e.g. <c>myorg/smollm2:8k</c>.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The context size to record; null keeps the source's.</summary>
    public int? ContextSize { get; init; }

    /// <summary>A Jinja chat template (the text, at most 1 MiB) that replaces the source's; null keeps the source's.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>License texts to add, each its own layer after the source's licenses.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>The artifact format; null keeps the source's.</summary>
    public ArtifactFormat? Format { get; init; }

    /// <summary>The creation time to record; null keeps the source's, so repackaging without changes gives the same model.</summary>
    public DateTimeOffset? Created { get; init; }
}
