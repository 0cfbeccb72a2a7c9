using ModelRunner.Engine.Gguf;
using static ModelRunner.Engine.Tests.Gguf.GgufTestData;

namespace ModelRunner.Engine.Tests.Gguf;

public class GgufRoundTripTests
{
    public static TheoryData<string, GgufValue> Scalars => new()
    {
        { "uint8 max", GgufValue.UInt8(byte.MaxValue) },
        { "int8 min", GgufValue.Int8(sbyte.MinValue) },
        { "uint16 max", GgufValue.UInt16(ushort.MaxValue) },
        { "int16 min", GgufValue.Int16(short.MinValue) },
        { "uint32 max", GgufValue.UInt32(uint.MaxValue) },
        { "int32 min", GgufValue.Int32(int.MinValue) },
        { "float32", GgufValue.Float32(1e-5f) },
        { "float32 NaN", GgufValue.Float32(float.NaN) },
        { "float32 -inf", GgufValue.Float32(float.NegativeInfinity) },
        { "bool true", GgufValue.Bool(true) },
        { "bool false", GgufValue.Bool(false) },
        { "string", GgufValue.String("{% for message in messages %}…{% endfor %}") },
        { "string empty", GgufValue.String("") },
        { "string non-ASCII", GgufValue.String("Grüße, 日本語, 🦙") },
        { "uint64 max", GgufValue.UInt64(ulong.MaxValue) },
        { "int64 min", GgufValue.Int64(long.MinValue) },
        { "float64", GgufValue.Float64(-Math.PI) },
    };

    public static TheoryData<string, GgufValue> Arrays => new()
    {
        { "uint8", GgufValue.Array(GgufValueType.UInt8, new byte[] { 0, 1, 255 }) },
        { "int8", GgufValue.Array(GgufValueType.Int8, new sbyte[] { -128, 0, 127 }) },
        { "uint16", GgufValue.Array(GgufValueType.UInt16, new ushort[] { 0, 65535 }) },
        { "int16", GgufValue.Array(GgufValueType.Int16, new short[] { -32768, 32767 }) },
        { "uint32", GgufValue.Array(GgufValueType.UInt32, new uint[] { 0, uint.MaxValue }) },
        { "int32", GgufValue.Array(GgufValueType.Int32, new[] { int.MinValue, -1, int.MaxValue }) },
        { "float32", GgufValue.Array(GgufValueType.Float32, new[] { -0.0f, 1.5f, float.NaN, float.PositiveInfinity }) },
        { "bool", GgufValue.Array(GgufValueType.Bool, new[] { true, false, true }) },
        { "string non-ASCII", GgufValue.Array(GgufValueType.String, new[] { "<s>", "", "▁héllo", "日本語", "🦙🦙", "\0nul" }) },
        { "uint64", GgufValue.Array(GgufValueType.UInt64, new[] { 0UL, ulong.MaxValue }) },
        { "int64", GgufValue.Array(GgufValueType.Int64, new[] { long.MinValue, long.MaxValue }) },
        { "float64", GgufValue.Array(GgufValueType.Float64, new[] { double.Epsilon, -1e300 }) },
        { "empty int32", GgufValue.Array(GgufValueType.Int32, Array.Empty<int>()) },
        { "empty string", GgufValue.Array(GgufValueType.String, Array.Empty<string>()) },
        {
            "nested", GgufValue.Array(GgufValueType.Array, new[]
            {
                GgufValue.Array(GgufValueType.String, new[] { "a", "b" }),
                GgufValue.Array(GgufValueType.Float64, Array.Empty<double>()),
                GgufValue.Array(GgufValueType.Array, new[] { GgufValue.Array(GgufValueType.UInt8, new byte[] { 7 }) }),
            })
        },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void WriteThenRead_Scalar_IsEqual(string description, GgufValue value)
    {
        var file = Read(WriterWith(value).ToBytes());

        Assert.True(value.Equals(file["value"]), $"{description}: wrote {value}, read {file["value"]}");
    }

    [Theory]
    [MemberData(nameof(Arrays))]
    public void WriteThenRead_Array_IsEqual(string description, GgufValue value)
    {
        var read = Read(WriterWith(value).ToBytes())["value"];

        Assert.True(value.Equals(read), $"{description}: wrote {value}, read {read}");
        Assert.Equal(value.ElementType, read.ElementType);
        Assert.Equal(value.ArrayLength, read.ArrayLength);
    }

    [Fact]
    public void WriteThenRead_StringArray_KeepsNonAsciiText() =>
        Assert.Equal(
            ["▁héllo", "日本語", "🦙"],
            Read(WriterWith(GgufValue.Array(GgufValueType.String, new[] { "▁héllo", "日本語", "🦙" })).ToBytes())["value"].AsArray<string>());

    [Fact]
    public void WriteThenRead_Metadata_KeepsInsertionOrderAndReplacesInPlace()
    {
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String("llama"));
        writer.Set("b", GgufValue.Int32(1));
        writer.Set("a", GgufValue.Int32(2));
        writer.Set("b", GgufValue.String("replaced"));

        var file = Read(writer.ToBytes());

        Assert.Equal(["general.architecture", "b", "a"], file.Metadata.Select(kv => kv.Key));
        Assert.Equal("replaced", file.GetStringOrNull("b"));
        Assert.Equal(3u, file.Version);
        Assert.Equal(32u, file.Alignment);
    }

    [Fact]
    public void WriteThenRead_DefaultAlignment_WritesNoAlignmentKey() =>
        Assert.False(Read(new GgufWriter().ToBytes()).TryGetValue("general.alignment", out _));

    [Fact]
    public void WriteThenRead_WellKnownKeys_FillConvenienceProperties()
    {
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String("qwen3"));
        writer.Set("general.file_type", GgufValue.UInt32((uint)LlamaFileType.Q4_K_M));
        writer.Set("qwen3.context_length", GgufValue.UInt32(40960));

        var file = Read(writer.ToBytes());

        Assert.Equal("qwen3", file.Architecture);
        Assert.Equal(LlamaFileType.Q4_K_M, file.FileType);
        Assert.Equal(40960, file.GetInt64OrNull("qwen3.context_length"));
        Assert.Null(file.GetInt64OrNull("missing"));
        Assert.Null(file.GetStringOrNull("missing"));
        Assert.Contains("'missing'", Assert.Throws<KeyNotFoundException>(() => file["missing"]).Message);
    }

    [Fact]
    public void WriteThenRead_NoWellKnownKeys_ConveniencePropertiesAreNull()
    {
        var file = Read(new GgufWriter().ToBytes());

        Assert.Null(file.Architecture);
        Assert.Null(file.FileType);
        Assert.Empty(file.Metadata);
        Assert.Empty(file.Tensors);
        Assert.Equal(24, file.DataOffset);
    }

    [Fact]
    public void WriteThenRead_Tensors_TableAndDataRoundTrip()
    {
        var q8 = Enumerable.Range(0, 34 * 2 * 3).Select(i => (byte)i).ToArray();
        var f32 = Enumerable.Range(0, 5 * 4).Select(i => (byte)(255 - i)).ToArray();
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String("llama"));
        writer.AddTensor("token_embd.weight", GgmlType.Q8_0, [64, 3], q8);
        writer.AddTensor("output_norm.weight", GgmlType.F32, [5], stream => stream.Write(f32));
        var bytes = writer.ToBytes();

        var file = Read(bytes);

        Assert.Equal(
            [
                new GgufTensorInfo("token_embd.weight", GgmlType.Q8_0, [64, 3], 0),
                new GgufTensorInfo("output_norm.weight", GgmlType.F32, [5], 224), // 204 bytes, padded to 32
            ],
            file.Tensors);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(q8, DataOf(bytes, file, 0));
        Assert.Equal(f32, DataOf(bytes, file, 1));
        Assert.Equal(64 * 3 + 5, file.ParameterCount);
        Assert.Equal(204 + 20, file.TensorDataBytes);
        Assert.Equal(192, file.Tensors[0].ElementCount);
        Assert.Equal(204, file.Tensors[0].ByteSize);
    }

    [Fact]
    public void WriteThenRead_CustomAlignment64_OffsetsAndDataAreAligned()
    {
        var writer = new GgufWriter(alignment: 64);
        writer.AddTensor("a", GgmlType.F32, [3], new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
        writer.AddTensor("b", GgmlType.I8, [100], Enumerable.Repeat((byte)7, 100).ToArray());
        writer.AddTensor("c", GgmlType.I8, [1], new byte[] { 42 });
        var bytes = writer.ToBytes();

        var file = Read(bytes);

        Assert.Equal(64u, file.Alignment);
        Assert.Equal(GgufValue.UInt32(64), file["general.alignment"]);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal([0UL, 64UL, 192UL], file.Tensors.Select(t => t.Offset));
        Assert.Equal(new byte[] { 42 }, DataOf(bytes, file, 2));
        Assert.Equal(0, bytes.Length % 64);
    }

    [Fact]
    public void WriteThenRead_AlignmentSetAsMetadata_ChangesLayout()
    {
        var writer = new GgufWriter();
        writer.AddTensor("a", GgmlType.I8, [1], new byte[] { 1 });
        writer.AddTensor("b", GgmlType.I8, [1], new byte[] { 2 });
        writer.Set("general.alignment", GgufValue.UInt32(128));

        var file = Read(writer.ToBytes());

        Assert.Equal(128u, writer.Alignment);
        Assert.Equal(128u, file.Alignment);
        Assert.Equal(128UL, file.Tensors[1].Offset);
    }

    [Fact]
    public void WriteToFile_ThenReadPath_RoundTrips()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "model.gguf");
        var writer = new GgufWriter();
        writer.Set("general.name", GgufValue.String("tiny"));
        writer.AddTensor("w", GgmlType.BF16, [8, 2], new byte[32]);

        writer.WriteToFile(path);
        var file = GgufReader.Read(path);

        Assert.Equal("tiny", file.GetStringOrNull("general.name"));
        Assert.Single(file.Tensors);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteTo_NonSeekableDestination_Works()
    {
        using var sink = new MemoryStream();
        var writer = new GgufWriter();
        writer.AddTensor("w", GgmlType.F16, [2], new byte[4]);

        writer.WriteTo(new WriteOnlyStream(sink));

        Assert.Equal("w", Read(sink.ToArray()).Tensors[0].Name);
    }

    [Fact]
    public void Read_LargeTensor_DoesNotLoadTensorData()
    {
        var writer = new GgufWriter();
        writer.AddTensor("big", GgmlType.F32, [1024, 1024], stream => stream.Write(new byte[4 * 1024 * 1024]));
        var stream = new TestStream(writer.ToBytes());

        var file = GgufReader.Read(stream);

        Assert.Equal(1024 * 1024, file.ParameterCount);
        Assert.True(stream.BytesRead <= 64 * 1024, $"read {stream.BytesRead} bytes of a 4 MiB file");
    }

    [Fact]
    public void Read_StreamNotAtStart_OffsetsAreRelativeToItsPosition()
    {
        var gguf = SmallCompleteFile();
        var stream = new MemoryStream([.. new byte[100], .. gguf]) { Position = 100 };

        var file = GgufReader.Read(stream);

        Assert.Equal(Read(gguf).DataOffset, file.DataOffset);
    }

    private static byte[] DataOf(byte[] bytes, GgufFile file, int tensor)
    {
        var start = checked((int)(file.DataOffset + (long)file.Tensors[tensor].Offset));
        return bytes[start..(start + (int)file.Tensors[tensor].ByteSize)];
    }

    private sealed class WriteOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
