using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>A validated descriptor: a blob's digest, size and media type, what it is for, and its file name if the manifest gave one.</summary>
internal sealed record BlobDescriptor(OciDigest Digest, long Size, string MediaType, LayerRole Role, string? FileName);
