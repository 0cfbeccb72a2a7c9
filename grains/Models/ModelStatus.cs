namespace ModelRunner.Grains.Models;

/// <summary>What a loaded model is doing (DMR's <c>/engines/ps</c>, Ollama's <c>/api/ps</c>).</summary>
/// <param name="Id">The model id (sha256 of its manifest).</param>
/// <param name="Tags">Its names in the store.</param>
/// <param name="LoadedAt">When its weights finished loading.</param>
/// <param name="LastUsed">When its last request ended (or it was loaded, before any).</param>
/// <param name="ActiveRequests">Requests in progress.</param>
/// <param name="QueuedRequests">Requests waiting for a free sequence.</param>
/// <param name="KeepAlive">Idle time before it unloads; infinite when pinned.</param>
/// <param name="ExpiresAt">When it unloads if nothing else comes; null when pinned or in use.</param>
/// <param name="MemoryBytes">Estimated memory in use (weights, KV cache, buffers).</param>
/// <param name="GpuBytes">The part of it on the GPU.</param>
/// <param name="ContextSize">Tokens per sequence.</param>
/// <param name="Sequences">Sequences decoded together.</param>
/// <param name="Backend">The llama.cpp build, e.g. <c>llama.cpp cpu 0.5.0</c>.</param>
public sealed record ModelStatus(
    string Id,
    IReadOnlyList<string> Tags,
    DateTimeOffset LoadedAt,
    DateTimeOffset LastUsed,
    int ActiveRequests,
    int QueuedRequests,
    TimeSpan KeepAlive,
    DateTimeOffset? ExpiresAt,
    long MemoryBytes,
    long GpuBytes,
    int ContextSize,
    int Sequences,
    string Backend);
