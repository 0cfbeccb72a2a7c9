using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace ModelRunner.Engine.Gguf;

/// <summary>
/// Reads the header, metadata and tensor table of a GGUF file, never the tensor data. Every count and length in
/// the file is checked against the bytes that remain before anything is allocated for it, so a corrupt or hostile
/// file fails fast with a <see cref="GgufFormatException"/> rather than exhausting memory.
/// </summary>
public static class GgufReader
{
    // The smallest encodings, used to reject counts the remaining bytes could not possibly hold.
    private const int MinMetadataEntryBytes = 8 + 4 + 1; // empty key, value type, one-byte value
    private const int MinTensorInfoBytes = 8 + 4 + 8 + 4 + 8; // empty name, n_dims, one dimension, type, offset
    private const int MinStringBytes = 8; // the length prefix
    private const int MinArrayBytes = 4 + 8; // element type and count

    // Nested arrays are legal but unused in practice; the limit keeps recursion off the stack's edge.
    private const int MaxArrayDepth = 8;

    // Lists start no larger than this and grow with what is actually read, so a count that passes the
    // remaining-bytes check in a multi-gigabyte model file still cannot trigger a huge allocation up front.
    private const int MaxInitialCapacity = 1024;

    /// <summary>Reads the GGUF file at <paramref name="path"/>.</summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // No FileStream buffer: GgufInput does its own buffering.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <summary>
    /// Reads a GGUF file from <paramref name="stream"/>, starting at its current position, which counts as offset 0
    /// for every offset in the result and in error messages. The stream's position afterwards is unspecified.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot read or seek; its length is needed to bound every count in the file.</exception>
    /// <exception cref="GgufFormatException">The data is not a valid GGUF file.</exception>
    /// <exception cref="IOException">The stream fails; the message says at which offset.</exception>
    public static GgufFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("Reading a GGUF file needs a readable, seekable stream: its length bounds every count in the file.", nameof(stream));
        }

        var input = new GgufInput(stream);
        var version = ReadHeader(input);
        var tensorCount = ReadCount(input, "tensor count", MinTensorInfoBytes);
        var metadataCount = ReadCount(input, "metadata count", MinMetadataEntryBytes);
        if (tensorCount * MinTensorInfoBytes + metadataCount * MinMetadataEntryBytes > (ulong)input.Remaining)
        {
            throw new GgufFormatException($"metadata count {metadataCount} and tensor count {tensorCount} are impossible together for a {input.Length}-byte file");
        }

        var (metadata, alignment) = ReadMetadata(input, metadataCount);
        var (tensors, sizes) = ReadTensorInfos(input, tensorCount, alignment);
        var dataOffset = tensors.Count > 0 ? AlignUp(input.Position, alignment) : input.Position;
        CheckTensorBounds(input.Length, dataOffset, tensors, sizes);

        long parameters = 0;
        foreach (var tensor in tensors)
        {
            // Cannot overflow for any real file, but a crafted one must not wrap around.
            parameters = long.MaxValue - parameters >= tensor.ElementCount
                ? parameters + tensor.ElementCount
                : throw new GgufFormatException($"the tensors' total element count overflows 64 bits at tensor '{tensor.Name}'");
        }

        return new GgufFile(version, alignment, metadata, tensors, dataOffset, parameters, sizes.Sum());
    }

    private static uint ReadHeader(GgufInput input)
    {
        var magic = input.Take(4);
        if (!magic.SequenceEqual("GGUF"u8))
        {
            throw new GgufFormatException($"not a GGUF file: bad magic 0x{Convert.ToHexString(magic)} at offset 0 (expected 0x47475546, \"GGUF\")");
        }

        var version = ReadUInt32(input);
        if (version is not (2 or 3))
        {
            // Big-endian GGUF files exist; their version reads as 0x02000000 or 0x03000000 here.
            var hint = BinaryPrimitives.ReverseEndianness(version) is 2 or 3 ? " (the file looks big-endian, which is not supported)" : "";
            throw new GgufFormatException($"unsupported GGUF version {version} at offset 4; versions 2 and 3 are supported{hint}");
        }

        return version;
    }

    private static ulong ReadCount(GgufInput input, string what, int minBytesEach)
    {
        var count = ReadUInt64(input);
        if (count > (ulong)(input.Remaining / minBytesEach) || count > (ulong)Array.MaxLength)
        {
            throw new GgufFormatException($"{what} {count} at offset {input.Position - 8} is impossible for a {input.Length}-byte file");
        }

        return count;
    }

    private static (List<KeyValuePair<string, GgufValue>> Metadata, uint Alignment) ReadMetadata(GgufInput input, ulong count)
    {
        var metadata = new List<KeyValuePair<string, GgufValue>>(InitialCapacity(count));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var alignment = GgufFile.DefaultAlignment;
        for (ulong i = 0; i < count; i++)
        {
            var keyOffset = input.Position;
            var key = ReadString(input, "metadata key", strict: true);
            if (!keys.Add(key))
            {
                throw new GgufFormatException($"duplicate metadata key '{key}' at offset {keyOffset}");
            }

            var valueOffset = input.Position;
            var value = ReadValue(input, ReadValueType(input, key), depth: 0);
            if (GgufFile.WellKnownKeyProblem(key, value) is { } problem)
            {
                throw new GgufFormatException($"{problem} (value at offset {valueOffset})");
            }

            if (key == GgufFile.AlignmentKey)
            {
                alignment = (uint)value.AsUInt64();
            }

            metadata.Add(new(key, value));
        }

        return (metadata, alignment);
    }

    private static GgufValueType ReadValueType(GgufInput input, string owner)
    {
        var raw = ReadUInt32(input);
        return raw <= (uint)GgufValueType.Float64
            ? (GgufValueType)raw
            : throw new GgufFormatException($"unknown GGUF value type {raw} for {owner} at offset {input.Position - 4}");
    }

    private static GgufValue ReadValue(GgufInput input, GgufValueType type, int depth) => type switch
    {
        GgufValueType.UInt8 => GgufValue.UInt8(input.Take(1)[0]),
        GgufValueType.Int8 => GgufValue.Int8((sbyte)input.Take(1)[0]),
        GgufValueType.UInt16 => GgufValue.UInt16(BinaryPrimitives.ReadUInt16LittleEndian(input.Take(2))),
        GgufValueType.Int16 => GgufValue.Int16(BinaryPrimitives.ReadInt16LittleEndian(input.Take(2))),
        GgufValueType.UInt32 => GgufValue.UInt32(ReadUInt32(input)),
        GgufValueType.Int32 => GgufValue.Int32(BinaryPrimitives.ReadInt32LittleEndian(input.Take(4))),
        GgufValueType.Float32 => GgufValue.Float32(BinaryPrimitives.ReadSingleLittleEndian(input.Take(4))),
        GgufValueType.Bool => GgufValue.Bool(ReadBool(input)),
        GgufValueType.String => GgufValue.FromTrusted(GgufValueType.String, null, ReadString(input, "string", strict: false)),
        GgufValueType.Array => ReadArray(input, depth),
        GgufValueType.UInt64 => GgufValue.UInt64(ReadUInt64(input)),
        GgufValueType.Int64 => GgufValue.Int64(ReadInt64(input)),
        GgufValueType.Float64 => GgufValue.Float64(BinaryPrimitives.ReadDoubleLittleEndian(input.Take(8))),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "ReadValueType lets only known types through."),
    };

    private static GgufValue ReadArray(GgufInput input, int depth)
    {
        var offset = input.Position;
        if (depth >= MaxArrayDepth)
        {
            throw new GgufFormatException($"arrays nested more than {MaxArrayDepth} deep at offset {offset}");
        }

        var elementType = ReadValueType(input, "array elements");
        var count = ReadUInt64(input);
        var minBytes = elementType switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
            GgufValueType.String => MinStringBytes,
            _ => MinArrayBytes,
        };
        if (count > (ulong)(input.Remaining / minBytes) || count > (ulong)Array.MaxLength)
        {
            throw new GgufFormatException(
                $"array of {count} {elementType} elements at offset {offset} is impossible: {input.Remaining} bytes remain and each element needs at least {minBytes}");
        }

        var n = (int)count;
        Array values = elementType switch
        {
            GgufValueType.UInt8 => ReadElements(input, n, static i => i.Take(1)[0]),
            GgufValueType.Int8 => ReadElements(input, n, static i => (sbyte)i.Take(1)[0]),
            GgufValueType.UInt16 => ReadElements(input, n, static i => BinaryPrimitives.ReadUInt16LittleEndian(i.Take(2))),
            GgufValueType.Int16 => ReadElements(input, n, static i => BinaryPrimitives.ReadInt16LittleEndian(i.Take(2))),
            GgufValueType.UInt32 => ReadElements(input, n, ReadUInt32),
            GgufValueType.Int32 => ReadElements(input, n, static i => BinaryPrimitives.ReadInt32LittleEndian(i.Take(4))),
            GgufValueType.Float32 => ReadElements(input, n, static i => BinaryPrimitives.ReadSingleLittleEndian(i.Take(4))),
            GgufValueType.Bool => ReadElements(input, n, ReadBool),
            GgufValueType.String => ReadElements(input, n, static i => ReadString(i, "string", strict: false)),
            GgufValueType.Array => ReadElements(input, n, i => ReadArray(i, depth + 1)),
            GgufValueType.UInt64 => ReadElements(input, n, ReadUInt64),
            GgufValueType.Int64 => ReadElements(input, n, ReadInt64),
            _ => ReadElements(input, n, static i => BinaryPrimitives.ReadDoubleLittleEndian(i.Take(8))),
        };
        return GgufValue.FromTrusted(GgufValueType.Array, elementType, values);
    }

    private static T[] ReadElements<T>(GgufInput input, int count, Func<GgufInput, T> read)
    {
        var items = new List<T>(InitialCapacity((ulong)count));
        for (var i = 0; i < count; i++)
        {
            items.Add(read(input));
        }

        return [.. items];
    }

    private static (List<GgufTensorInfo> Tensors, List<long> Sizes) ReadTensorInfos(GgufInput input, ulong count, uint alignment)
    {
        var tensors = new List<GgufTensorInfo>(InitialCapacity(count));
        var sizes = new List<long>(InitialCapacity(count));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < count; i++)
        {
            var infoOffset = input.Position;
            var name = ReadString(input, "tensor name", strict: true);
            if (!names.Add(name))
            {
                throw new GgufFormatException($"duplicate tensor name '{name}' at offset {infoOffset}");
            }

            var dimsOffset = input.Position;
            var dimCount = ReadUInt32(input);
            if (dimCount is 0 or > GgmlTypeTraits.MaxDimensions)
            {
                throw new GgufFormatException($"tensor '{name}' has {dimCount} dimensions at offset {dimsOffset}; GGUF allows 1 to {GgmlTypeTraits.MaxDimensions}");
            }

            var dims = new long[dimCount];
            var elements = 1L;
            for (var d = 0; d < dims.Length; d++)
            {
                dims[d] = ReadInt64(input);
                if (dims[d] <= 0)
                {
                    throw new GgufFormatException($"tensor '{name}' dimension {d} is {dims[d]} at offset {input.Position - 8}; dimensions must be positive");
                }

                elements = elements <= long.MaxValue / dims[d]
                    ? elements * dims[d]
                    : throw new GgufFormatException($"tensor '{name}' at offset {infoOffset} has more elements than fit in 64 bits");
            }

            var type = (GgmlType)ReadUInt32(input);
            if (!GgmlTypeTraits.IsKnown(type))
            {
                throw new GgufFormatException($"tensor '{name}' has unknown ggml type {(uint)type} at offset {input.Position - 4}");
            }

            if (dims[0] % GgmlTypeTraits.BlockSize(type) != 0)
            {
                throw new GgufFormatException(
                    $"tensor '{name}' at offset {infoOffset} has rows of {dims[0]} elements, not a multiple of the {type} block size {GgmlTypeTraits.BlockSize(type)}");
            }

            var offset = ReadUInt64(input);
            if (offset % alignment != 0)
            {
                throw new GgufFormatException($"tensor '{name}' data offset {offset} at offset {input.Position - 8} is not a multiple of the alignment {alignment}");
            }

            var tensor = new GgufTensorInfo(name, type, dims, offset);
            try
            {
                sizes.Add(tensor.ByteSize);
            }
            catch (OverflowException)
            {
                throw new GgufFormatException($"tensor '{name}' at offset {infoOffset} has more bytes than fit in 64 bits");
            }

            tensors.Add(tensor);
        }

        return (tensors, sizes);
    }

    // Every tensor's data must lie inside the file, and no two may share bytes.
    private static void CheckTensorBounds(long fileLength, long dataOffset, List<GgufTensorInfo> tensors, List<long> sizes)
    {
        var available = fileLength - dataOffset; // negative when the padding before the data is cut off
        for (var i = 0; i < tensors.Count; i++)
        {
            var (offset, size) = (tensors[i].Offset, sizes[i]);
            if (available < 0 || offset > (ulong)available || size > available - (long)offset)
            {
                throw new GgufFormatException(
                    $"tensor '{tensors[i].Name}' data ({size} bytes at offset {offset} of the data section, which starts at {dataOffset}) extends past the end of the {fileLength}-byte file");
            }
        }

        var byOffset = Enumerable.Range(0, tensors.Count).OrderBy(i => tensors[i].Offset).ToArray();
        for (var k = 1; k < byOffset.Length; k++)
        {
            var (previous, current) = (byOffset[k - 1], byOffset[k]);
            var previousEnd = (long)tensors[previous].Offset + sizes[previous];
            if (previousEnd > (long)tensors[current].Offset)
            {
                throw new GgufFormatException(
                    $"tensor '{tensors[current].Name}' data at offset {tensors[current].Offset} overlaps tensor '{tensors[previous].Name}', which ends at {previousEnd}");
            }
        }
    }

    private static string ReadString(GgufInput input, string what, bool strict)
    {
        var offset = input.Position;
        var length = ReadUInt64(input);
        if (length > GgufValue.MaxStringBytes)
        {
            throw new GgufFormatException(
                $"{what} of {length} bytes at offset {offset} exceeds the {GgufValue.MaxStringBytes / (1024 * 1024)} MiB limit for a GGUF string");
        }

        var n = (int)length;
        input.Require(n);
        if (n <= GgufInput.BufferSize)
        {
            return Decode(input.Take(n), what, offset, strict);
        }

        var bytes = new byte[n];
        input.ReadExactly(bytes);
        return Decode(bytes, what, offset, strict);
    }

    // Keys and tensor names must be valid UTF-8. Value strings are decoded leniently (U+FFFD for bad bytes) because
    // some converted vocabularies carry raw byte tokens, and llama.cpp loads those files without complaint.
    private static string Decode(ReadOnlySpan<byte> bytes, string what, long offset, bool strict) =>
        !strict || Utf8.IsValid(bytes)
            ? Encoding.UTF8.GetString(bytes)
            : throw new GgufFormatException($"{what} at offset {offset} is not valid UTF-8");

    private static bool ReadBool(GgufInput input)
    {
        var b = input.Take(1)[0];
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new GgufFormatException($"bool value {b} at offset {input.Position - 1} is neither 0 nor 1"),
        };
    }

    private static uint ReadUInt32(GgufInput input) => BinaryPrimitives.ReadUInt32LittleEndian(input.Take(4));

    private static ulong ReadUInt64(GgufInput input) => BinaryPrimitives.ReadUInt64LittleEndian(input.Take(8));

    private static long ReadInt64(GgufInput input) => BinaryPrimitives.ReadInt64LittleEndian(input.Take(8));

    private static int InitialCapacity(ulong count) => (int)Math.Min(count, MaxInitialCapacity);

    private static long AlignUp(long position, uint alignment) => position + ((alignment - (position % alignment)) % alignment);
}
