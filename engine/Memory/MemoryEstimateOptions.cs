namespace ModelRunner.Engine.Memory;

/// <summary>The context a <see cref="MemoryEstimator"/> sizes; defaults match <c>EngineOptions</c>'.</summary>
public sealed record MemoryEstimateOptions
{
    /// <summary>Tokens per sequence (default 4096).</summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>Sequences (default 4).</summary>
    public int Sequences { get; init; } = 4;

    /// <summary>Tokens per decode call (default 512).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Layers offloaded to a GPU: 0 (default) for none, -1 for all.</summary>
    public int GpuLayers { get; init; }

    /// <summary>
    /// Flash attention (llama.cpp's automatic choice turns it on where supported). Without it,
    /// the attention scores of a whole batch are materialised too.
    /// </summary>
    public bool FlashAttention { get; init; } = true;

    /// <summary>Bytes per KV cell element (default 2: F16).</summary>
    public int KvElementBytes { get; init; } = 2;
}
