using System.Text.Json.Serialization.Metadata;

namespace ModelRunner.Silo.Storage;

/// <summary>
/// A grain's persisted state: holds <see cref="State"/> and the etag of what was last read or
/// written, so a write fails (<see cref="InconsistentStateException"/>) rather than overwrite a
/// change it has not seen. Create it in the grain's constructor and call
/// <see cref="ReadStateAsync"/> in <c>OnActivateAsync</c>. Not thread-safe: use it from the
/// grain's turn (non-interleaving methods).
/// </summary>
public sealed class PersistentState<T>
{
    private readonly IGrainStorage _storage;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly Func<T> _createDefault;

    /// <param name="storage">Where the state lives.</param>
    /// <param name="stateType">Names the kind of state, usually the grain's <c>GrainType</c>.</param>
    /// <param name="key">Names the instance, usually the grain's <c>Key</c>.</param>
    /// <param name="typeInfo">How <typeparamref name="T"/> is serialized (e.g. from a source-generated context).</param>
    /// <param name="createDefault">The state when nothing is stored (before the first read, after a clear).</param>
    public PersistentState(IGrainStorage storage, string stateType, string key, JsonTypeInfo<T> typeInfo, Func<T> createDefault)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateType);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(createDefault);
        _storage = storage;
        StateType = stateType;
        Key = key;
        _typeInfo = typeInfo;
        _createDefault = createDefault;
        State = createDefault();
    }

    public string StateType { get; }

    public string Key { get; }

    /// <summary>The state; change it (or replace it) and call <see cref="WriteStateAsync"/> to persist.</summary>
    public T State { get; set; }

    /// <summary>The etag of the stored state this instance knows; null when it knows of none.</summary>
    public string? ETag { get; private set; }

    /// <summary>Whether a stored state exists, as far as this instance knows.</summary>
    public bool RecordExists => ETag is not null;

    /// <summary>Loads the stored state, or the default when there is none.</summary>
    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _storage.ReadAsync(StateType, Key, _typeInfo, cancellationToken).ConfigureAwait(false);
        State = stored is null ? _createDefault() : stored.State;
        ETag = stored?.ETag;
    }

    /// <summary>Stores <see cref="State"/>.</summary>
    /// <exception cref="InconsistentStateException">The stored state changed since this instance read or wrote it.</exception>
    public async Task WriteStateAsync(CancellationToken cancellationToken = default) =>
        ETag = await _storage.WriteAsync(StateType, Key, State, ETag, _typeInfo, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes the stored state and resets <see cref="State"/> to the default.</summary>
    /// <exception cref="InconsistentStateException">The stored state changed since this instance read or wrote it.</exception>
    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await _storage.ClearAsync(StateType, Key, ETag, cancellationToken).ConfigureAwait(false);
        State = _createDefault();
        ETag = null;
    }
}
