namespace ModelRunner.Distribution.Artifacts;

/// <summary>The layer digests of a ModelPack config, in manifest order (<c>{"type": "layers", "diffIds": […]}</c>).</summary>
internal sealed record ModelPackModelFs
{
    public string? Type { get; init; }

    public IReadOnlyList<string>? DiffIds { get; init; }
}
