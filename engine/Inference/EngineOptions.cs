namespace ModelRunner.Engine.Inference;

/// <summary>How an <see cref="InferenceEngine"/> sets up its llama.cpp context and serves requests.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Tokens of context (prompt + answer) each sequence holds (default 4096). Every sequence has
    /// a KV stream of its own, so the context allocates this many cells per sequence.
    /// </summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>Sequences decoded together in one batch: requests served at once (default 4, like llama-server).</summary>
    public int Sequences { get; init; } = 4;

    /// <summary>Most tokens in one decode call; long prompts are fed in chunks of this size (default 512).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Requests that may wait for a free sequence before new ones are refused as busy (default 64).</summary>
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>
    /// Threads for decoding, fixed. Null (the default) follows the machine: as many as there are
    /// cores this process may use that other processes leave free, re-measured between decode
    /// steps, and one for a model under 30M parameters. (llama.cpp's own default is 4.)
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Threads for prompt processing, fixed; null uses as many as decoding.</summary>
    public int? BatchThreads { get; init; }

    /// <summary>Use flash attention: null lets llama.cpp decide (default), else on or off.</summary>
    public bool? FlashAttention { get; init; }

    /// <summary>RoPE base frequency; null takes the model's (llama.cpp's <c>--rope-freq-base</c>).</summary>
    public float? RopeFreqBase { get; init; }

    /// <summary>RoPE frequency scale, e.g. 0.5 to stretch a model's context twofold; null takes the model's (<c>--rope-freq-scale</c>).</summary>
    public float? RopeFreqScale { get; init; }

    /// <summary>RoPE scaling method: <c>none</c>, <c>linear</c> or <c>yarn</c>; null takes the model's (<c>--rope-scaling</c>).</summary>
    public string? RopeScaling { get; init; }

    /// <summary>
    /// RAM for the KV state of evicted sequences (default a tenth of the machine's memory, at least
    /// 1 GiB: sixteen 3k-token conversations of a 360M model take 1.9 GB). Beyond it the least
    /// recently used go to <see cref="SavedSequenceDirectory"/>, and reading one back from disk
    /// delays its next turn. When the model is on a GPU this memory is page-locked, so that
    /// states copy to and from the GPU at the bus's speed.
    /// </summary>
    public long SavedSequenceMemoryBytes { get; init; } = Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 10);

    /// <summary>Disk for evicted sequences (default 8 GiB); beyond it the least recently used are dropped.</summary>
    public long SavedSequenceDiskBytes { get; init; } = 8L << 30;

    /// <summary>Where evicted sequences spill to; null uses a temporary folder removed with the engine.</summary>
    public string? SavedSequenceDirectory { get; init; }

    internal int ResolvedThreads => Threads ?? Environment.ProcessorCount;

    internal int ResolvedBatchThreads => BatchThreads ?? ResolvedThreads;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        Check(ContextSize >= 16, nameof(ContextSize), "must be ≥ 16");
        Check(Sequences is >= 1 and <= 256, nameof(Sequences), "must be between 1 and 256");
        Check(BatchSize >= 1, nameof(BatchSize), "must be ≥ 1");
        Check(MaxQueuedRequests >= 0, nameof(MaxQueuedRequests), "must be ≥ 0");
        Check(Threads is null or >= 1, nameof(Threads), "must be ≥ 1");
        Check(BatchThreads is null or >= 1, nameof(BatchThreads), "must be ≥ 1");
        Check(SavedSequenceMemoryBytes >= 0, nameof(SavedSequenceMemoryBytes), "must be ≥ 0");
        Check(SavedSequenceDiskBytes >= 0, nameof(SavedSequenceDiskBytes), "must be ≥ 0");
        Check(RopeFreqBase is null or > 0, nameof(RopeFreqBase), "must be > 0");
        Check(RopeFreqScale is null or > 0, nameof(RopeFreqScale), "must be > 0");
        Check(RopeScaling is null or "none" or "linear" or "yarn", nameof(RopeScaling), "must be none, linear or yarn");
    }

    private static void Check(bool valid, string name, string rule)
    {
        if (!valid)
        {
            throw new ArgumentException($"{name} {rule}", name);
        }
    }
}
