using ModelRunner.Engine.Sequences;

namespace ModelRunner.Engine.Tests.Sequences;

public sealed unsafe class NativeBufferPoolTests
{
    [Fact]
    public void Rent_AfterTheLastReferenceIsReleased_ReusesTheBlockForASimilarSize()
    {
        using var pool = new NativeBufferPool(maxIdleBytes: 64 << 20);
        var first = pool.Rent(10_000_000);
        var pointer = (nint)first.Pointer;
        var again = first.Acquire();
        first.Dispose();
        Assert.Equal((0, 0L), pool.Idle);

        again.Dispose();
        using var second = pool.Rent(10_100_000);

        Assert.Equal(pointer, (nint)second.Pointer);
        Assert.Equal(10_100_000, second.Length);
        Assert.Equal(0, pool.Idle.Blocks);
    }

    [Fact]
    public void Rent_ForTheNextTurnsLargerState_ReusesTheBlockOfTheLastOne()
    {
        // A conversation's state grows by a turn between saves (here 10%): the block freed when
        // its last state was restored must take the next one, or every save allocates afresh.
        using var pool = new NativeBufferPool(maxIdleBytes: 256 << 20);
        var last = pool.Rent(100_000_000);
        var pointer = (nint)last.Pointer;
        last.Dispose();

        using var next = pool.Rent(110_000_000);
        next.Slice(next.Length - 1, 1)[0] = 1;

        Assert.Equal(pointer, (nint)next.Pointer);
    }

    [Fact]
    public void Rent_NeverHandsOutABlockMoreThanTwiceTheSizeAskedFor()
    {
        using var pool = new NativeBufferPool(maxIdleBytes: 64 << 20);
        var large = pool.Rent(8 << 20);
        var pointer = (nint)large.Pointer;
        large.Dispose();

        using var small = pool.Rent(1 << 20);

        Assert.NotEqual(pointer, (nint)small.Pointer);
        Assert.Equal(1, pool.Idle.Blocks);
    }

    [Fact]
    public void Return_KeepsNoMoreIdleBytesThanItsLimit()
    {
        using var pool = new NativeBufferPool(maxIdleBytes: 4 << 20);
        var buffers = Enumerable.Range(0, 4).Select(_ => pool.Rent(1 << 20)).ToList();

        buffers.ForEach(buffer => buffer.Dispose());

        Assert.True(pool.Idle.Bytes <= 4 << 20);
        Assert.Equal(3, pool.Idle.Blocks);
    }

    [Fact]
    public void Pointer_AfterRelease_Throws()
    {
        using var pool = new NativeBufferPool(maxIdleBytes: 0);
        var buffer = pool.Rent(4096);
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => (nint)buffer.Pointer);
    }
}
