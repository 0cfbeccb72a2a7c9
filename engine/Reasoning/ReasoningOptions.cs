using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Reasoning;

/// <summary>How a reasoning model thinks for one request.</summary>
/// <param name="Enabled">Whether it thinks at all (off: an empty think block is written into the prompt).</param>
/// <param name="Budget">
/// Most thinking tokens, when the prompt opens the think block; the end of the block is then
/// forced and the answer follows. Null: no limit.
/// </param>
public sealed record ReasoningOptions(bool Enabled = true, int? Budget = null)
{
    public static ReasoningOptions Default { get; } = new();

    /// <summary>Throws <see cref="InvalidOptionException"/> when the budget is negative.</summary>
    public void Validate()
    {
        if (Budget is < 0)
        {
            throw new InvalidOptionException("reasoning_budget", "must be ≥ 0 (0 turns thinking off)");
        }
    }
}
