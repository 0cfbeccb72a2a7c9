namespace ModelRunner.Engine.Inference;

/// <summary>
/// How the next token is chosen. Defaults are llama-server's. A temperature of 0 is greedy
/// decoding: deterministic, and the other fields but the penalties are ignored.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding: always the most likely token.</summary>
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0 };

    /// <summary>Softmax temperature, ≥ 0 (default 0.8; 0 is greedy).</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep only the k most likely tokens; ≤ 0 disables (default 40).</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Keep the most likely tokens whose probabilities add up to p, in (0, 1] (default 0.95; 1 disables).</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Drop tokens less likely than p × the most likely one, in [0, 1] (default 0.05; 0 disables).</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Divides the logits of recently seen tokens, &gt; 0 (default 1, disabled).</summary>
    public float RepeatPenalty { get; init; } = 1f;

    /// <summary>How many recent tokens the penalties look at (default 64).</summary>
    public int PenaltyLastN { get; init; } = 64;

    /// <summary>Subtracted once from the logit of any token already seen (default 0).</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Subtracted per occurrence from the logit of tokens already seen (default 0).</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Seed of the random draw; null draws a fresh seed per request.</summary>
    public uint? Seed { get; init; }

    internal bool UsesPenalties => RepeatPenalty != 1f || PresencePenalty != 0f || FrequencyPenalty != 0f;

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        Check(float.IsFinite(Temperature) && Temperature >= 0, nameof(Temperature), "must be ≥ 0");
        Check(float.IsFinite(TopP) && TopP is > 0 and <= 1, nameof(TopP), "must be in (0, 1]");
        Check(float.IsFinite(MinP) && MinP is >= 0 and <= 1, nameof(MinP), "must be in [0, 1]");
        Check(float.IsFinite(RepeatPenalty) && RepeatPenalty > 0, nameof(RepeatPenalty), "must be > 0");
        Check(PenaltyLastN >= -1, nameof(PenaltyLastN), "must be ≥ -1");
        Check(float.IsFinite(PresencePenalty), nameof(PresencePenalty), "must be finite");
        Check(float.IsFinite(FrequencyPenalty), nameof(FrequencyPenalty), "must be finite");
    }

    private static void Check(bool valid, string name, string rule)
    {
        if (!valid)
        {
            throw new InvalidOptionException(name, $"{name} {rule}");
        }
    }
}
