namespace ModelRunner.Engine.Embeddings;

/// <summary>How an <see cref="EmbeddingEngine"/> sets up its llama.cpp context.</summary>
public sealed record EmbeddingOptions
{
    /// <summary>
    /// Most tokens of one input, and of one batch of inputs (default 2048, capped at the model's
    /// training context). Encoders see a whole input at once, so an input must fit a batch.
    /// </summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>Inputs embedded together in one batch (default 16).</summary>
    public int Sequences { get; init; } = 16;

    /// <summary>Threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (ContextSize < 8)
        {
            throw new ArgumentException($"{nameof(ContextSize)} must be ≥ 8", nameof(ContextSize));
        }

        if (Sequences is < 1 or > 256)
        {
            throw new ArgumentException($"{nameof(Sequences)} must be between 1 and 256", nameof(Sequences));
        }

        if (Threads is < 1)
        {
            throw new ArgumentException($"{nameof(Threads)} must be ≥ 1", nameof(Threads));
        }
    }
}
