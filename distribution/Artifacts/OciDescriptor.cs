namespace ModelRunner.Distribution.Artifacts;

/// <summary>An OCI content descriptor: what a manifest says about its config, a layer, or an index entry.</summary>
internal sealed record OciDescriptor
{
    public string? MediaType { get; init; }

    public string? Digest { get; init; }

    public long Size { get; init; }

    public string? ArtifactType { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public OciPlatform? Platform { get; init; }
}
