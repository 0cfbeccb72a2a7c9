namespace ModelRunner.Grains.Models;

/// <summary>How a generation ended, with its token counts and timings.</summary>
/// <param name="Finish">Why it ended.</param>
/// <param name="PromptTokens">Tokens of the prompt.</param>
/// <param name="CachedPromptTokens">Prompt tokens whose KV cells were reused, not evaluated again.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="PromptDuration">Prompt evaluation, up to the first sampled token.</param>
/// <param name="GenerationDuration">From the first sampled token to the end.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.generation-summary")]
public sealed record GenerationSummary(
    [property: Id(0)] GenerationFinish Finish,
    [property: Id(1)] int PromptTokens,
    [property: Id(2)] int CachedPromptTokens,
    [property: Id(3)] int CompletionTokens,
    [property: Id(4)] TimeSpan PromptDuration,
    [property: Id(5)] TimeSpan GenerationDuration)
{
    /// <summary>Time waiting for a free sequence before the prompt was evaluated.</summary>
    [Id(6)]
    public TimeSpan QueueDuration { get; init; }

    /// <summary>The stop string that ended the generation, when one did.</summary>
    [Id(7)]
    public string? StopSequence { get; init; }

    /// <summary>Tokens a draft model proposed (speculative decoding; 0 without a draft).</summary>
    [Id(8)]
    public int DraftTokens { get; init; }

    /// <summary>Proposed tokens the model accepted.</summary>
    [Id(9)]
    public int DraftAcceptedTokens { get; init; }

    public double PromptTokensPerSecond => Rate(PromptTokens - CachedPromptTokens, PromptDuration);

    public double TokensPerSecond => Rate(CompletionTokens, GenerationDuration);

    private static double Rate(int tokens, TimeSpan duration) =>
        duration > TimeSpan.Zero ? tokens / duration.TotalSeconds : 0;
}
