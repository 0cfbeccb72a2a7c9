namespace ModelRunner.Distribution.Artifacts;

/// <summary>An OCI image manifest (or Docker schema 2 manifest, which has the same shape).</summary>
internal sealed record OciManifest
{
    public int SchemaVersion { get; init; }

    public string? MediaType { get; init; }

    public string? ArtifactType { get; init; }

    public OciDescriptor? Config { get; init; }

    public IReadOnlyList<OciDescriptor>? Layers { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
