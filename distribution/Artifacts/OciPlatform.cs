namespace ModelRunner.Distribution.Artifacts;

/// <summary>The platform of an index entry; models have none, images do, which is how an index is read.</summary>
internal sealed record OciPlatform
{
    public string? Architecture { get; init; }

    public string? Os { get; init; }
}
