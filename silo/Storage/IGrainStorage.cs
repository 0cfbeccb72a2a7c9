using System.Text.Json.Serialization.Metadata;

namespace ModelRunner.Silo.Storage;

/// <summary>
/// Durable state of grains: one JSON document per (state type, key) with an etag for optimistic
/// concurrency. A write or clear names the etag it last read (null: "I saw none"); if the stored
/// etag differs, it throws <see cref="InconsistentStateException"/> and changes nothing. Callers
/// pass a <see cref="JsonTypeInfo{T}"/>, so source-generated contexts serialize without
/// reflection. Implementations are thread-safe (any number of grains at once) and each write is
/// one transaction. The default is SQLite in <c>SiloOptions.DataDirectory</c>; grains usually
/// use it through <see cref="PersistentState{T}"/>.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored state and its etag, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The stored JSON does not deserialize as <typeparamref name="T"/>.</exception>
    Task<StoredState<T>?> ReadAsync<T>(string stateType, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="state"/> if the stored etag is <paramref name="etag"/>; returns the new etag.</summary>
    /// <exception cref="InconsistentStateException">Someone else wrote or cleared it since <paramref name="etag"/> was read.</exception>
    Task<string> WriteAsync<T>(string stateType, string key, T state, string? etag, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default);

    /// <summary>Deletes the state if the stored etag is <paramref name="etag"/>; with a null etag and nothing stored it does nothing.</summary>
    /// <exception cref="InconsistentStateException">Someone else wrote or cleared it since <paramref name="etag"/> was read.</exception>
    Task ClearAsync(string stateType, string key, string? etag, CancellationToken cancellationToken = default);
}
