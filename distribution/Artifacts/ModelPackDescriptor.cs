namespace ModelRunner.Distribution.Artifacts;

/// <summary>The descriptor part of a ModelPack config.</summary>
internal sealed record ModelPackDescriptor
{
    public DateTimeOffset? CreatedAt { get; init; }

    public string? Name { get; init; }
}
