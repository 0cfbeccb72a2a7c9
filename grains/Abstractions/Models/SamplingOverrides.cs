namespace ModelRunner.Grains.Models;

/// <summary>
/// The sampling fields a request set; the rest come from the model's configured defaults
/// (runtime flags such as <c>--temp</c>), then the engine's.
/// </summary>
[GenerateSerializer, Immutable, Alias("modelrunner.sampling-overrides")]
public sealed record SamplingOverrides
{
    public static SamplingOverrides None { get; } = new();

    [Id(0)]
    public float? Temperature { get; init; }

    [Id(1)]
    public int? TopK { get; init; }

    [Id(2)]
    public float? TopP { get; init; }

    [Id(3)]
    public float? MinP { get; init; }

    [Id(4)]
    public float? RepeatPenalty { get; init; }

    [Id(5)]
    public int? PenaltyLastN { get; init; }

    [Id(6)]
    public float? PresencePenalty { get; init; }

    [Id(7)]
    public float? FrequencyPenalty { get; init; }

    [Id(8)]
    public uint? Seed { get; init; }
}
