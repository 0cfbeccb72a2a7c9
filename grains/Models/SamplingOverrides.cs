using ModelRunner.Engine.Inference;

namespace ModelRunner.Grains.Models;

/// <summary>
/// The sampling fields a request set; the rest come from the model's configured defaults
/// (runtime flags such as <c>--temp</c>), then the engine's.
/// </summary>
public sealed record SamplingOverrides
{
    public static SamplingOverrides None { get; } = new();

    public float? Temperature { get; init; }

    public int? TopK { get; init; }

    public float? TopP { get; init; }

    public float? MinP { get; init; }

    public float? RepeatPenalty { get; init; }

    public int? PenaltyLastN { get; init; }

    public float? PresencePenalty { get; init; }

    public float? FrequencyPenalty { get; init; }

    public uint? Seed { get; init; }

    public SamplingOptions ApplyTo(SamplingOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults with
        {
            Temperature = Temperature ?? defaults.Temperature,
            TopK = TopK ?? defaults.TopK,
            TopP = TopP ?? defaults.TopP,
            MinP = MinP ?? defaults.MinP,
            RepeatPenalty = RepeatPenalty ?? defaults.RepeatPenalty,
            PenaltyLastN = PenaltyLastN ?? defaults.PenaltyLastN,
            PresencePenalty = PresencePenalty ?? defaults.PresencePenalty,
            FrequencyPenalty = FrequencyPenalty ?? defaults.FrequencyPenalty,
            Seed = Seed ?? defaults.Seed,
        };
    }
}
