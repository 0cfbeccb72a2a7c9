namespace ModelRunner.Engine.Gguf;

/// <summary>
/// The write-only stream a tensor's data callback writes to. It forwards to the GGUF destination and counts, so a
/// callback that writes too much fails at once, before it can corrupt the next tensor, and one that writes too
/// little is caught by <see cref="Complete"/>. Disposing it leaves the destination open.
/// </summary>
internal sealed class GgufTensorDataStream(Stream destination, string tensorName, long expectedBytes) : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > expectedBytes - Written)
        {
            throw new InvalidOperationException(
                $"The data callback of tensor '{tensorName}' wrote more than the {expectedBytes} bytes the tensor takes.");
        }

        destination.Write(buffer);
        Written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Throws unless the callback wrote exactly the tensor's size.</summary>
    public void Complete()
    {
        if (Written != expectedBytes)
        {
            throw new InvalidOperationException(
                $"The data callback of tensor '{tensorName}' wrote {Written} bytes, but the tensor takes {expectedBytes}.");
        }
    }

    public override void Flush() => destination.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
