namespace ModelRunner.Distribution.Artifacts;

/// <summary>The config part of a ModelPack config.</summary>
internal sealed record ModelPackModelConfig
{
    public string? Architecture { get; init; }

    public string? Format { get; init; }

    public string? ParamSize { get; init; }

    public string? Precision { get; init; }

    public string? Quantization { get; init; }
}
