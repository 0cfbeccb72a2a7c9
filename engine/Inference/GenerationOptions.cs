namespace ModelRunner.Engine.Inference;

/// <summary>What to generate for one request.</summary>
public sealed record GenerationOptions
{
    /// <summary>Stop after this many tokens; null runs to an end-of-generation token or a full context.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Strings that end the generation; the stop string itself is not part of the output.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>How tokens are chosen.</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (MaxTokens is < 1)
        {
            throw new ArgumentException($"{nameof(MaxTokens)} must be ≥ 1", nameof(MaxTokens));
        }

        Sampling.Validate();
    }
}
