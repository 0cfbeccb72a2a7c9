using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Registry;

/// <summary>A manifest as received, with its media type and the digest its bytes hash to.</summary>
internal sealed record FetchedManifest(byte[] Content, string MediaType, OciDigest Digest);
