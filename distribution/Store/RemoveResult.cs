namespace ModelRunner.Distribution.Store;

/// <summary>What <see cref="IModelStore.Remove"/> did: the tags it removed and, when the model itself went, its id.</summary>
public sealed record RemoveResult(IReadOnlyList<string> Untagged, string? DeletedId);
