namespace ModelRunner.Distribution.Store;

/// <summary>The content of <c>layout.json</c>.</summary>
internal sealed record StoreLayoutFile
{
    public string Version { get; init; } = "1";
}
