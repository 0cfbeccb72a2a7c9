namespace ModelRunner.Silo.Storage;

/// <summary>
/// A write or clear named an etag that is no longer the stored one: another writer changed the
/// state since it was read. Nothing was changed; read the state again, then retry.
/// </summary>
public sealed class InconsistentStateException(string stateType, string key, string? expectedETag, string? storedETag)
    : Exception($"The stored state {stateType}/{key} changed since it was read: expected etag {expectedETag ?? "(none stored)"}, found {storedETag ?? "(none stored)"}. Read it again before writing.")
{
    public string StateType { get; } = stateType;

    public string Key { get; } = key;

    /// <summary>The etag the writer named (null: it expected nothing stored).</summary>
    public string? ExpectedETag { get; } = expectedETag;

    /// <summary>The etag actually stored (null: nothing is stored).</summary>
    public string? StoredETag { get; } = storedETag;
}
