namespace ModelRunner.Engine.Inference;

/// <summary>One request to an <see cref="InferenceEngine"/>.</summary>
/// <param name="PromptTokens">The prompt, tokenized (with BOS when the model wants one).</param>
/// <param name="Options">What to generate and how.</param>
public sealed record GenerationRequest(IReadOnlyList<int> PromptTokens, GenerationOptions Options)
{
    /// <summary>
    /// Names the conversation this prompt continues (e.g. a conversation id). The engine keeps
    /// that conversation's KV cells under this key: in its sequence while it can, saved to RAM
    /// or disk when another request needs the sequence, restored for the next turn, so only
    /// the new tokens of a turn are evaluated. Null: only prefixes shared with idle sequences
    /// are reused.
    /// </summary>
    public string? CacheKey { get; init; }
}
