namespace ModelRunner.Engine.Inference;

/// <summary>
/// Speculative decoding for an <see cref="InferenceEngine"/>: a smaller draft model that shares the
/// target's vocabulary proposes the next tokens, and the target checks them all in one batch. The
/// output is the one the target alone would give (the target's own sampler picks every token); only
/// the number of target decodes per token changes.
/// </summary>
/// <param name="DraftModel">The draft; stays owned by the caller, who disposes it after the engine.</param>
public sealed record SpeculativeOptions(LlamaModel DraftModel)
{
    /// <summary>Tokens the draft proposes per step, 1–64 (default 16, llama-server's <c>--draft-max</c>).</summary>
    public int DraftTokens { get; init; } = 16;

    /// <summary>
    /// A request whose drafted tokens are accepted less often than this, in [0, 1), decodes without
    /// the draft from then on: a draft that keeps guessing wrong only costs time (default 0, never).
    /// </summary>
    public double MinAcceptanceRate { get; init; }

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(DraftModel);
        if (DraftTokens is < 1 or > 64)
        {
            throw new InvalidOptionException("draft_tokens", "must be between 1 and 64");
        }

        if (MinAcceptanceRate is < 0 or >= 1 || double.IsNaN(MinAcceptanceRate))
        {
            throw new InvalidOptionException("min_acceptance_rate", "must be in [0, 1)");
        }
    }
}
