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
[GenerateSerializer, Immutable, Alias("modelrunner.model-status")]
public sealed record ModelStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyList<string> Tags,
    [property: Id(2)] DateTimeOffset LoadedAt,
    [property: Id(3)] DateTimeOffset LastUsed,
    [property: Id(4)] int ActiveRequests,
    [property: Id(5)] int QueuedRequests,
    [property: Id(6)] TimeSpan KeepAlive,
    [property: Id(7)] DateTimeOffset? ExpiresAt,
    [property: Id(8)] long MemoryBytes,
    [property: Id(9)] long GpuBytes,
    [property: Id(10)] int ContextSize,
    [property: Id(11)] int Sequences,
    [property: Id(12)] string Backend)
{
    /// <summary>The node it is loaded on (its URL in a cluster, else the host name).</summary>
    [Id(13)]
    public string? Node { get; init; }
}
