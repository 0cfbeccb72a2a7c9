namespace ModelRunner.Engine.Inference;

/// <summary>The llama.cpp context an <see cref="InferenceEngine"/> decodes in.</summary>
public sealed record ContextOptions
{
    /// <summary>Tokens of context (prompt + answer) per sequence (default 4096).</summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>Most tokens submitted to one decode call; prompts are split into chunks of this size (default 512).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Threads for generating single tokens; null uses every core (llama.cpp's own default is 4).</summary>
    public int? Threads { get; init; }

    /// <summary>Threads for prompt processing; null uses <see cref="Threads"/>.</summary>
    public int? BatchThreads { get; init; }

    /// <summary>Use flash attention: null lets llama.cpp decide (default), else on or off.</summary>
    public bool? FlashAttention { get; init; }

    internal int ResolvedThreads => Threads ?? Environment.ProcessorCount;

    internal int ResolvedBatchThreads => BatchThreads ?? ResolvedThreads;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (ContextSize < 16)
        {
            throw new ArgumentException($"{nameof(ContextSize)} must be ≥ 16", nameof(ContextSize));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"{nameof(BatchSize)} must be ≥ 1", nameof(BatchSize));
        }

        if (Threads is < 1 || BatchThreads is < 1)
        {
            throw new ArgumentException("thread counts must be ≥ 1", nameof(Threads));
        }
    }
}
