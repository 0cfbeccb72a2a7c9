namespace ModelRunner.Distribution.Store;

/// <summary>A manifest exactly as stored, for serving it to peers at <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>.</summary>
/// <param name="Digest">Its digest, <c>sha256:…</c>, for the <c>Docker-Content-Digest</c> header.</param>
/// <param name="MediaType">Its media type, for the <c>Content-Type</c> header.</param>
/// <param name="Content">The bytes.</param>
public sealed record StoredManifest(string Digest, string MediaType, ReadOnlyMemory<byte> Content);
