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

    /// <summary>A GBNF grammar (root rule <c>root</c>) the output must follow, e.g. from <c>JsonGrammar</c>; null for free text.</summary>
    public string? Grammar { get; init; }

    /// <summary>
    /// Report each generated token's log-probability and this many most likely alternatives
    /// (0 to 20); null (the default) reports none.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (MaxTokens is < 1)
        {
            throw new InvalidOptionException(nameof(MaxTokens), $"{nameof(MaxTokens)} must be ≥ 1");
        }

        if (TopLogprobs is < 0 or > 20)
        {
            throw new InvalidOptionException(nameof(TopLogprobs), $"{nameof(TopLogprobs)} must be between 0 and 20");
        }

        Sampling.Validate();
    }
}
