namespace ModelRunner.Engine.Inference;

/// <summary>How a generation ended, with its token counts and timings.</summary>
/// <param name="Reason">Why it ended.</param>
/// <param name="PromptTokens">Tokens of the prompt.</param>
/// <param name="CachedPromptTokens">Prompt tokens whose KV cells were reused (from a live or saved sequence), not evaluated again.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="PromptDuration">From getting a sequence until the first token was sampled: prompt evaluation.</param>
/// <param name="GenerationDuration">From the first sampled token to the end.</param>
public sealed record GenerationResult(
    FinishReason Reason,
    int PromptTokens,
    int CachedPromptTokens,
    int CompletionTokens,
    TimeSpan PromptDuration,
    TimeSpan GenerationDuration)
{
    /// <summary>Time waiting for a free sequence before the prompt was evaluated.</summary>
    public TimeSpan QueueDuration { get; init; }

    /// <summary>The stop string that ended the generation, when one did.</summary>
    public string? StopSequence { get; init; }

    /// <summary>Tokens a draft model proposed (speculative decoding; 0 without a draft), llama-server's <c>draft_n</c>.</summary>
    public int DraftTokens { get; init; }

    /// <summary>Proposed tokens the model accepted, llama-server's <c>draft_n_accepted</c>.</summary>
    public int DraftAcceptedTokens { get; init; }

    /// <summary>Accepted over proposed; 0 when nothing was proposed.</summary>
    public double DraftAcceptanceRate => DraftTokens > 0 ? (double)DraftAcceptedTokens / DraftTokens : 0;

    public double PromptTokensPerSecond => Rate(PromptTokens - CachedPromptTokens, PromptDuration);

    public double TokensPerSecond => Rate(CompletionTokens, GenerationDuration);

    private static double Rate(int tokens, TimeSpan duration) =>
        duration > TimeSpan.Zero ? tokens / duration.TotalSeconds : 0;
}
