namespace ModelRunner.Distribution.Store;

/// <summary>One model in the index: its id (manifest digest) and tags in familiar form.</summary>
internal sealed record StoreIndexEntry
{
    public required string Id { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}
