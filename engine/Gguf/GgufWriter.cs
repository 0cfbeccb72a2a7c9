using System.Text;

namespace ModelRunner.Engine.Gguf;

/// <summary>
/// Builds a GGUF version 3 file: metadata in insertion order, then the tensor table, then each tensor's data,
/// aligned. Tensor data is pulled from callbacks while writing, so a large model streams through without being
/// held in memory.
/// </summary>
public sealed class GgufWriter
{
    // llama.cpp keeps tensor names in a char[GGML_MAX_NAME] with a terminating NUL, so a longer name would not load.
    private const int MaxTensorNameBytes = 63;

    private static readonly byte[] Zeros = new byte[4096];

    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly Dictionary<string, int> _metadataIndex = new(StringComparer.Ordinal);
    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);

    /// <summary>Creates an empty writer.</summary>
    /// <param name="alignment">
    /// The tensor data alignment in bytes, a power of two; defaults to 32. Any other value is recorded as
    /// <c>general.alignment</c> metadata, as readers need it to find the data.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="alignment"/> is not a power of two.</exception>
    public GgufWriter(uint alignment = GgufFile.DefaultAlignment)
    {
        if (alignment != GgufFile.DefaultAlignment)
        {
            Set(GgufFile.AlignmentKey, GgufValue.UInt32(alignment));
        }
    }

    /// <summary>The tensor data alignment: <c>general.alignment</c> if set, else 32.</summary>
    public uint Alignment { get; private set; } = GgufFile.DefaultAlignment;

    /// <summary>
    /// Sets metadata <paramref name="key"/>. A new key goes after the existing ones; an existing key keeps its
    /// place and gets the new value. Setting <c>general.alignment</c> changes <see cref="Alignment"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="key"/> is empty or not encodable as UTF-8, or the value does not fit a key the format gives a
    /// meaning to (<c>general.alignment</c> must be a UInt32 power of two, <c>general.architecture</c> a string,
    /// <c>general.file_type</c> an integer that fits a uint32).
    /// </exception>
    public void Set(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        GgufValue.Utf8ByteCount(key, nameof(key));
        if (GgufFile.WellKnownKeyProblem(key, value) is { } problem)
        {
            throw new ArgumentException($"Cannot set {problem}.", nameof(value));
        }

        if (key == GgufFile.AlignmentKey)
        {
            Alignment = (uint)value.AsUInt64();
        }

        if (_metadataIndex.TryGetValue(key, out var index))
        {
            _metadata[index] = new(key, value);
        }
        else
        {
            _metadataIndex.Add(key, _metadata.Count);
            _metadata.Add(new(key, value));
        }
    }

    /// <summary>
    /// Adds a tensor whose data <paramref name="writeData"/> writes while <see cref="WriteTo"/> runs. The callback
    /// must write exactly <see cref="GgmlTypeTraits.TensorBytes"/> bytes (flushing any wrapper stream it uses) and
    /// must not keep the stream it is given.
    /// </summary>
    /// <param name="name">A unique name of at most 63 UTF-8 bytes, the most llama.cpp accepts.</param>
    /// <param name="type">The element type.</param>
    /// <param name="dimensions">1 to 4 positive dimensions, innermost first; the first must be a multiple of the type's block size.</param>
    /// <param name="writeData">Writes the tensor's bytes to the stream it is given.</param>
    /// <exception cref="ArgumentException">The name is empty, too long or already used, or the dimensions are invalid for <paramref name="type"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known ggml type.</exception>
    /// <exception cref="OverflowException">The tensor's byte size does not fit in a <see cref="long"/>.</exception>
    public void AddTensor(string name, GgmlType type, IReadOnlyList<long> dimensions, Action<Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(writeData);
        var nameBytes = GgufValue.Utf8ByteCount(name, nameof(name));
        if (nameBytes > MaxTensorNameBytes)
        {
            throw new ArgumentException($"Tensor name '{name}' is {nameBytes} UTF-8 bytes; llama.cpp accepts at most {MaxTensorNameBytes}.", nameof(name));
        }

        var byteSize = GgmlTypeTraits.TensorBytes(type, dimensions);
        if (!_tensorNames.Add(name))
        {
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        }

        _tensors.Add(new PendingTensor(new GgufTensorInfo(name, type, dimensions, 0), byteSize, writeData));
    }

    /// <summary>Adds a tensor whose data is <paramref name="data"/>, which must stay unchanged until written.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not exactly the tensor's size, or as in the callback overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known ggml type.</exception>
    public void AddTensor(string name, GgmlType type, IReadOnlyList<long> dimensions, ReadOnlyMemory<byte> data)
    {
        // Checked here rather than at write time: the size is known now, and the mistake is the caller's.
        var byteSize = GgmlTypeTraits.TensorBytes(type, dimensions);
        if (data.Length != byteSize)
        {
            throw new ArgumentException($"Tensor '{name}' takes {byteSize} bytes, but {data.Length} were given.", nameof(data));
        }

        AddTensor(name, type, dimensions, stream => stream.Write(data.Span));
    }

    /// <summary>
    /// Writes the whole file to <paramref name="destination"/>, which need not be seekable. On failure the
    /// destination holds a partial file; <see cref="WriteToFile"/> cleans that up.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable.</exception>
    /// <exception cref="InvalidOperationException">A data callback wrote more or fewer bytes than its tensor takes.</exception>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream must be writable.", nameof(destination));
        }

        // Offsets are laid out now, not in AddTensor, because setting general.alignment later may change them.
        var offsets = new ulong[_tensors.Count];
        for (var i = 1; i < offsets.Length; i++)
        {
            offsets[i] = offsets[i - 1] + (ulong)AlignUp(_tensors[i - 1].ByteSize);
        }

        var headerLength = WriteHeader(destination, offsets);
        if (_tensors.Count > 0)
        {
            WriteZeros(destination, AlignUp(headerLength) - headerLength);
        }

        foreach (var tensor in _tensors)
        {
            var sink = new GgufTensorDataStream(destination, tensor.Info.Name, tensor.ByteSize);
            tensor.WriteData(sink);
            sink.Complete();

            // Every tensor, the last included, is padded to the alignment, as llama.cpp writes them.
            WriteZeros(destination, AlignUp(tensor.ByteSize) - tensor.ByteSize);
        }

        destination.Flush();
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically: into a temporary file in the same directory, flushed to
    /// disk, then renamed over <paramref name="path"/>. If anything fails, the temporary file is deleted and an
    /// existing file at <paramref name="path"/> is left as it was.
    /// </summary>
    /// <exception cref="InvalidOperationException">A data callback wrote more or fewer bytes than its tensor takes.</exception>
    /// <exception cref="IOException">The file cannot be written or renamed.</exception>
    public void WriteToFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                WriteTo(stream);

                // Durable before the rename, so a crash cannot leave a complete-looking name over partial data.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    // The header and metadata are small next to tensor data, so they are built in memory and written at once.
    private long WriteHeader(Stream destination, ulong[] offsets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("GGUF"u8);
            writer.Write(3u);
            writer.Write((ulong)_tensors.Count);
            writer.Write((ulong)_metadata.Count);
            foreach (var (key, value) in _metadata)
            {
                WriteString(writer, key);
                writer.Write((uint)value.Type);
                WritePayload(writer, value);
            }

            for (var i = 0; i < _tensors.Count; i++)
            {
                var info = _tensors[i].Info;
                WriteString(writer, info.Name);
                writer.Write((uint)info.Dimensions.Count);
                foreach (var dimension in info.Dimensions)
                {
                    writer.Write(dimension);
                }

                writer.Write((uint)info.Type);
                writer.Write(offsets[i]);
            }
        }

        buffer.Position = 0;
        buffer.CopyTo(destination);
        return buffer.Length;
    }

    // BinaryWriter writes little-endian on every platform, as GGUF requires, and bool as one byte 0 or 1.
    private static void WritePayload(BinaryWriter writer, GgufValue value)
    {
        switch (value.RawValue)
        {
            case byte v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case bool v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case string v: WriteString(writer, v); break;
            case Array array:
                writer.Write((uint)value.ElementType!.Value);
                writer.Write((ulong)array.Length);
                WriteElements(writer, array);
                break;
        }
    }

    private static void WriteElements(BinaryWriter writer, Array array)
    {
        // The runtime lets sbyte[] match byte[] (and short[] ushort[], and so on); the bytes written are the same.
        switch (array)
        {
            case byte[] a: writer.Write(a); break;
            case sbyte[] a: Each(a, writer.Write); break;
            case ushort[] a: Each(a, writer.Write); break;
            case short[] a: Each(a, writer.Write); break;
            case uint[] a: Each(a, writer.Write); break;
            case int[] a: Each(a, writer.Write); break;
            case float[] a: Each(a, writer.Write); break;
            case bool[] a: Each(a, writer.Write); break;
            case ulong[] a: Each(a, writer.Write); break;
            case long[] a: Each(a, writer.Write); break;
            case double[] a: Each(a, writer.Write); break;
            case string[] a: Each(a, s => WriteString(writer, s)); break;

            // An element of an array of arrays is written without its own type tag: the outer array gave it.
            case GgufValue[] a: Each(a, v => WritePayload(writer, v)); break;
        }

        static void Each<T>(T[] items, Action<T> write)
        {
            foreach (var item in items)
            {
                write(item);
            }
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = GgufValue.StrictUtf8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteZeros(Stream destination, long count)
    {
        for (; count > 0; count -= Zeros.Length)
        {
            destination.Write(Zeros, 0, (int)Math.Min(count, Zeros.Length));
        }
    }

    private long AlignUp(long value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private sealed record PendingTensor(GgufTensorInfo Info, long ByteSize, Action<Stream> WriteData);
}
