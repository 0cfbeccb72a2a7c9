namespace ModelRunner.Distribution.Artifacts;

/// <summary>An OCI image index (or Docker manifest list): several manifests under one tag.</summary>
internal sealed record OciIndex
{
    public int SchemaVersion { get; init; }

    public string? MediaType { get; init; }

    public IReadOnlyList<OciDescriptor>? Manifests { get; init; }
}
