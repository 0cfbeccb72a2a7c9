using System.Numerics;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Sequences;

/// <summary>
/// Recycles the native memory of saved KV states. Fresh memory costs page faults on its first
/// write (fewer in huge pages, see <see cref="HugePageMemory"/>, but still some), and states come
/// and go in similar sizes (one is restored as another is saved), so freed blocks are kept, up to
/// a limit, and handed out again. When the KV cells live on a GPU, blocks are pinned host memory
/// (<see cref="PinnedHostMemory"/>) so that saving and restoring copy at the bus's speed. Thread-safe.
/// </summary>
internal sealed unsafe class NativeBufferPool(long maxIdleBytes, PinnedHostMemory? pinned = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(nint Pointer, long Capacity)> _idle = [];
    private long _idleBytes;
    private bool _disposed;

    /// <summary>A buffer of at least <paramref name="length"/> bytes, reused when one is idle.</summary>
    public NativeBuffer Rent(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);

        // A new block has an eighth to spare: a conversation's next state is its last plus one
        // turn, and a block cut to the last state's size could never hold the next one.
        var capacity = RoundUp(length + length / 8);
        lock (_gate)
        {
            var best = -1;
            for (var i = 0; i < _idle.Count; i++)
            {
                // Best fit, but never a block more than twice the size asked for.
                if (_idle[i].Capacity >= length && _idle[i].Capacity <= 2 * capacity && (best < 0 || _idle[i].Capacity < _idle[best].Capacity))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var (pointer, reused) = _idle[best];
                _idle.RemoveAt(best);
                _idleBytes -= reused;
                return new NativeBuffer(this, (byte*)pointer, reused, length);
            }
        }

        var block = pinned is null ? null : pinned.TryAllocate(capacity);
        return new NativeBuffer(this, (byte*)(block != null ? block : HugePageMemory.Allocate(capacity)), capacity, length);
    }

    /// <summary>Takes a block back from a buffer whose last reference was released.</summary>
    public void Return(byte* pointer, long capacity)
    {
        lock (_gate)
        {
            if (!_disposed && capacity <= maxIdleBytes)
            {
                // Keep the newest blocks: free the oldest ones that no longer fit.
                while (_idleBytes + capacity > maxIdleBytes && _idle.Count > 0)
                {
                    Free((void*)_idle[0].Pointer, _idle[0].Capacity);
                    _idleBytes -= _idle[0].Capacity;
                    _idle.RemoveAt(0);
                }

                _idle.Add(((nint)pointer, capacity));
                _idleBytes += capacity;
                return;
            }
        }

        Free(pointer, capacity);
    }

    /// <summary>The number of idle blocks and their bytes.</summary>
    public (int Blocks, long Bytes) Idle
    {
        get
        {
            lock (_gate)
            {
                return (_idle.Count, _idleBytes);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var (pointer, capacity) in _idle)
            {
                Free((void*)pointer, capacity);
            }

            _idle.Clear();
            _idleBytes = 0;
        }
    }

    private void Free(void* block, long capacity)
    {
        if (pinned?.Free(block) != true)
        {
            HugePageMemory.Free(block, capacity);
        }
    }

    // Rounded up by a sixteenth of the size's power of two, so a state a few tokens longer than
    // the last still fits its block while no more than ~6% is wasted.
    private static long RoundUp(long length)
    {
        var step = Math.Max(4096L, (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, length)) / 16);
        return (length + step - 1) / step * step;
    }
}
