namespace ModelRunner.Distribution.HuggingFace;

/// <summary>A file of a Hub repository: its path, size, and for LFS files the SHA-256 of the content.</summary>
internal sealed record HubFile
{
    public string? Rfilename { get; init; }

    public long? Size { get; init; }

    public HubLfs? Lfs { get; init; }
}
