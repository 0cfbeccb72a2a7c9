namespace ModelRunner.Distribution.Transfer;

/// <summary>Where one blob of a transfer stands.</summary>
/// <param name="Digest">The blob's digest, <c>sha256:…</c> (DMR's <c>layer.id</c>, Ollama's <c>digest</c>).</param>
/// <param name="MediaType">The blob's media type.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Current">Bytes done so far, including bytes a resumed download already had.</param>
public sealed record LayerProgress(string Digest, string MediaType, long Size, long Current);
