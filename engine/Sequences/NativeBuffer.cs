using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Sequences;

/// <summary>
/// A block of native memory holding a saved KV state. States run to hundreds of megabytes and
/// come and go with every eviction: as managed arrays they would churn the large-object heap
/// and stay resident until a full collection. Reference-counted, so a background write to disk
/// can finish reading it even after the cache handed it on; freed when the last holder releases
/// it. Thread-safe.
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private byte* _pointer;
    private int _references = 1;

    public NativeBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _pointer = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, length));
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

    /// <summary>Releases one reference; the memory is freed with the last.</summary>
    public void Dispose()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }

    /// <summary>The bytes from <paramref name="offset"/>, at most <paramref name="count"/> of them (spans stop at 2 GiB).</summary>
    public Span<byte> Slice(long offset, int count) => new(Pointer + offset, (int)Math.Min(count, Length - offset));
}
