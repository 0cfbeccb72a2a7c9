using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// The local model store: content-addressed blobs, manifests, and an index of tags, under one root folder.
/// References are anything <see cref="ModelReference.Parse"/> accepts: a tag (<c>ai/smollm2:latest</c>), a short name
/// (<c>smollm2</c> finds <c>ai/smollm2:latest</c>), an id (<c>sha256:…</c>, 64 hex, or the 12-hex short id), or
/// <c>name@sha256:…</c>. Thread-safe. One process owns a store for writing (the server); several processes may read.
/// </summary>
public interface IModelStore
{
    /// <summary>The absolute root folder.</summary>
    string RootPath { get; }

    /// <summary>Every model, in the order they were added.</summary>
    IReadOnlyList<LocalModel> List();

    /// <summary>The model <paramref name="reference"/> names, or null when the store has none.</summary>
    /// <exception cref="InvalidReferenceException">The reference is malformed.</exception>
    LocalModel? Find(string reference);

    /// <summary>The model <paramref name="reference"/> names.</summary>
    /// <exception cref="ModelNotFoundException">The store has no such model.</exception>
    /// <exception cref="InvalidReferenceException">The reference is malformed.</exception>
    LocalModel Get(string reference);

    /// <summary>Adds the tag <paramref name="target"/> (normalised, e.g. <c>myorg/smollm2</c> → <c>myorg/smollm2:latest</c>) to the model
    /// <paramref name="source"/> names, moving it from any model that had it.</summary>
    /// <returns>The model with its new tags.</returns>
    /// <exception cref="ModelNotFoundException">The store has no model <paramref name="source"/>.</exception>
    /// <exception cref="InvalidReferenceException">A reference is malformed, or <paramref name="target"/> is an id or has a digest.</exception>
    LocalModel Tag(string source, string target);

    /// <summary>
    /// Removes what <paramref name="reference"/> names. A tag is untagged, and the model is deleted when that was its
    /// last tag. An id deletes the model with all its tags, which must be forced when it has more than one.
    /// Blobs no other model uses are deleted with it.
    /// </summary>
    /// <exception cref="ModelNotFoundException">The store has no such model.</exception>
    /// <exception cref="ModelConflictException">The reference is an id, the model has several tags, and <paramref name="force"/> is false.</exception>
    RemoveResult Remove(string reference, bool force = false);

    /// <summary>Deletes every model, blob and partial download; returns the ids of the models deleted.</summary>
    IReadOnlyList<string> Purge();

    /// <summary>How much disk the store uses.</summary>
    StoreUsage GetUsage();

    /// <summary>
    /// Re-hashes every blob and checks every model's manifest and blobs. With <paramref name="repair"/>, removes
    /// corrupt files and the models that need them (they can be pulled again), and unused blobs.
    /// </summary>
    Task<IntegrityReport> VerifyAsync(bool repair, CancellationToken cancellationToken = default);

    /// <summary>The manifest of the model <paramref name="reference"/> names (a tag, or <c>name@sha256:…</c>, or an id), or null.</summary>
    /// <exception cref="InvalidReferenceException">The reference is malformed.</exception>
    StoredManifest? FindManifest(string reference);

    /// <summary>
    /// Opens a stored blob for reading (seekable, so an HTTP server can answer <c>Range</c> requests), or returns null
    /// when the store has no complete blob with that digest. The caller disposes the stream.
    /// </summary>
    Stream? OpenBlob(OciDigest digest);

    /// <summary>
    /// The path of a complete stored blob, or null. For reading only (e.g. to package a GGUF layer again); a blob no
    /// model uses may be deleted by the next removal.
    /// </summary>
    string? FindBlobPath(OciDigest digest);
}
