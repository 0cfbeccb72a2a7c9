namespace ModelRunner.Engine.Sequences;

/// <summary>
/// A block of native memory holding a saved KV state. States run to hundreds of megabytes and
/// come and go with every eviction: as managed arrays they would churn the large-object heap
/// and stay resident until a full collection. Reference-counted, so a background write to disk
/// can finish reading it even after the cache handed it on; returned to its
/// <see cref="NativeBufferPool"/> when the last holder releases it. Thread-safe.
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private readonly NativeBufferPool _pool;
    private readonly long _capacity;
    private byte* _pointer;
    private int _references = 1;

    public NativeBuffer(NativeBufferPool pool, byte* pointer, long capacity, long length)
    {
        _pool = pool;
        _pointer = pointer;
        _capacity = capacity;
        Length = length;
    }

    public long Length { get; private set; }

    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeBuffer));

    /// <summary>Shrinks the logical length after llama.cpp wrote fewer bytes than it first asked for.</summary>
    public void Truncate(long length) => Length = Math.Min(Length, Math.Max(0, length));

    /// <summary>Takes another reference; each must be released with <see cref="Dispose"/>.</summary>
    public NativeBuffer Acquire()
    {
        ObjectDisposedException.ThrowIf(Interlocked.Increment(ref _references) <= 1, this);
        return this;
    }

    /// <summary>Releases one reference; the memory goes back to the pool with the last.</summary>
    public void Dispose()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            var pointer = _pointer;
            _pointer = null;
            _pool.Return(pointer, _capacity);
        }
    }

    /// <summary>The bytes from <paramref name="offset"/>, at most <paramref name="count"/> of them (spans stop at 2 GiB).</summary>
    public Span<byte> Slice(long offset, int count) => new(Pointer + offset, (int)Math.Min(count, Length - offset));
}
