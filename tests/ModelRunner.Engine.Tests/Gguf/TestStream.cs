namespace ModelRunner.Engine.Tests.Gguf;

/// <summary>A read-only stream over bytes that can hide its seekability, fail after some bytes, and counts what it hands out.</summary>
internal sealed class TestStream(byte[] bytes, bool seekable = true, long failAfter = long.MaxValue) : Stream
{
    private readonly MemoryStream _inner = new(bytes, writable: false);

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => seekable;

    public override bool CanWrite => false;

    public override long Length => seekable ? _inner.Length : throw new NotSupportedException();

    public override long Position
    {
        get => seekable ? _inner.Position : throw new NotSupportedException();
        set => _inner.Position = seekable ? value : throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_inner.Position + count > failAfter)
        {
            throw new IOException("simulated device error");
        }

        var read = _inner.Read(buffer, offset, count);
        BytesRead += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => seekable ? _inner.Seek(offset, origin) : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
