namespace ModelRunner.Engine.Gguf;

/// <summary>
/// Buffered, bounds-checked sequential reads over a seekable stream. Every read first checks that the bytes exist
/// within the stream's length, so a truncated file fails with a <see cref="GgufFormatException"/> naming the offset
/// instead of an <see cref="EndOfStreamException"/>, and nothing is ever read past the end.
/// </summary>
internal sealed class GgufInput
{
    /// <summary>The most bytes <see cref="Take"/> returns at once.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start; // _buffer[_start.._end] holds the bytes at Position onwards
    private int _end;

    /// <summary>Reads from <paramref name="stream"/>'s current position, which becomes offset 0.</summary>
    public GgufInput(Stream stream)
    {
        _stream = stream;
        Length = Math.Max(0, stream.Length - stream.Position);
    }

    /// <summary>The number of bytes from offset 0 to the end of the stream.</summary>
    public long Length { get; }

    /// <summary>The offset of the next byte to read.</summary>
    public long Position { get; private set; }

    /// <summary>The number of bytes after <see cref="Position"/>.</summary>
    public long Remaining => Length - Position;

    /// <summary>Reads <paramref name="count"/> (at most <see cref="BufferSize"/>) bytes; the span is valid until the next read.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        Require(count);
        if (_end - _start < count)
        {
            Fill(count);
        }

        var bytes = _buffer.AsSpan(_start, count);
        _start += count;
        Position += count;
        return bytes;
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes, any number of them.</summary>
    public void ReadExactly(Span<byte> destination)
    {
        Require(destination.Length);
        while (!destination.IsEmpty)
        {
            var chunk = Take(Math.Min(destination.Length, BufferSize));
            chunk.CopyTo(destination);
            destination = destination[chunk.Length..];
        }
    }

    /// <summary>Throws unless <paramref name="count"/> more bytes exist after <see cref="Position"/>.</summary>
    public void Require(long count)
    {
        if (count > Remaining)
        {
            throw new GgufFormatException($"truncated GGUF: need {count} bytes at offset {Position}, file has {Length}");
        }
    }

    // Moves unread bytes to the front and reads until at least `count` are buffered, never past Length.
    private void Fill(int count)
    {
        var buffered = _end - _start;
        _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
        _start = 0;
        _end = buffered;
        while (_end < count)
        {
            var wanted = (int)Math.Min(_buffer.Length - _end, Remaining - _end);
            int read;
            try
            {
                read = _stream.Read(_buffer, _end, wanted);
            }
            catch (IOException e)
            {
                throw new IOException($"reading the GGUF failed at offset {Position + _end}: {e.Message}", e);
            }

            if (read == 0)
            {
                // The stream reported a length it then did not deliver: the file shrank while we read it.
                throw new GgufFormatException($"truncated GGUF: the stream ended at offset {Position + _end} although its length is {Length}");
            }

            _end += read;
        }
    }
}
