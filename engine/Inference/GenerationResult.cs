namespace ModelRunner.Engine.Inference;

/// <summary>How a generation ended, with its token counts and timings.</summary>
/// <param name="Reason">Why it ended.</param>
/// <param name="PromptTokens">Tokens of the prompt.</param>
/// <param name="CachedPromptTokens">Prompt tokens already in the KV cache, not evaluated again.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="PromptDuration">Time to evaluate the prompt (until the first token was sampled).</param>
/// <param name="GenerationDuration">Time from the first sampled token to the end.</param>
public sealed record GenerationResult(
    FinishReason Reason,
    int PromptTokens,
    int CachedPromptTokens,
    int CompletionTokens,
    TimeSpan PromptDuration,
    TimeSpan GenerationDuration)
{
    public double PromptTokensPerSecond => Rate(PromptTokens - CachedPromptTokens, PromptDuration);

    public double TokensPerSecond => Rate(CompletionTokens, GenerationDuration);

    private static double Rate(int tokens, TimeSpan duration) =>
        duration > TimeSpan.Zero ? tokens / duration.TotalSeconds : 0;
}
