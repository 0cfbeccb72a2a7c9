namespace ModelRunner.Distribution.Artifacts;

/// <summary>The descriptor part of a ModelPack config.</summary>
internal sealed record ModelPackDescriptor
{
    public DateTimeOffset? CreatedAt { get; init; }

    public string? Name { get; init; }

    /// <summary>The model family; packaging writes the architecture here, the closest field ModelPack has.</summary>
    public string? Family { get; init; }
}
