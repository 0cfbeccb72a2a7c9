using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// Blobs an operation in progress is writing. They belong to no model until its manifest is committed, so garbage
/// collection must leave them alone until the operation ends and this is disposed.
/// </summary>
internal sealed class BlobPins : IDisposable
{
    private readonly LocalModelStore _store;
    private readonly List<OciDigest> _digests = [];
    private bool _disposed;

    public BlobPins(LocalModelStore store) => _store = store;

    public void Add(OciDigest digest)
    {
        lock (_digests)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _digests.Add(digest);
            _store.ChangePins([digest], +1);
        }
    }

    public void Dispose()
    {
        lock (_digests)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _store.ChangePins(_digests, -1);
        }
    }
}
