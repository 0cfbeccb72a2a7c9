namespace ModelRunner.Distribution.HuggingFace;

/// <summary>The LFS pointer of a Hub file: the SHA-256 of its content (which is its OCI digest) and its size.</summary>
internal sealed record HubLfs
{
    public string? Sha256 { get; init; }

    public long? Size { get; init; }
}
