namespace ModelRunner.Distribution.Store;

/// <summary>The content of <c>models.json</c>.</summary>
internal sealed record StoreIndex
{
    public int Version { get; init; } = 1;

    public IReadOnlyList<StoreIndexEntry> Models { get; init; } = [];
}
