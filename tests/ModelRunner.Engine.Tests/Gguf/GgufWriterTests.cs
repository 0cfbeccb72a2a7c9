using ModelRunner.Engine.Gguf;
using static ModelRunner.Engine.Tests.Gguf.GgufTestData;

namespace ModelRunner.Engine.Tests.Gguf;

public class GgufWriterTests
{
    [Fact]
    public void WriteTo_CallbackWritesTooFew_ThrowsNamingTheTensor()
    {
        var writer = new GgufWriter();
        writer.AddTensor("blk.0.ffn_up.weight", GgmlType.Q8_0, [32, 2], stream => stream.Write(new byte[67]));

        var e = Assert.Throws<InvalidOperationException>(() => writer.ToBytes());

        Assert.Equal("The data callback of tensor 'blk.0.ffn_up.weight' wrote 67 bytes, but the tensor takes 68.", e.Message);
    }

    [Fact]
    public void WriteTo_CallbackWritesTooMany_ThrowsBeforeWritingTheExtra()
    {
        using var destination = new MemoryStream();
        var writer = new GgufWriter();
        writer.AddTensor("w", GgmlType.F32, [2], stream =>
        {
            stream.Write(new byte[8]);
            stream.WriteByte(1);
        });

        var e = Assert.Throws<InvalidOperationException>(() => writer.WriteTo(destination));

        Assert.Contains("wrote more than the 8 bytes", e.Message);
        // The padded header, then the 8 bytes the tensor takes; the ninth never reached the destination.
        Assert.Equal(8, destination.Length % 32);
    }

    [Fact]
    public void WriteTo_CallbackWritingInPieces_IsCountedAcrossWrites()
    {
        var writer = new GgufWriter();
        writer.AddTensor("w", GgmlType.I8, [10], stream =>
        {
            for (var i = 0; i < 10; i++)
            {
                stream.WriteByte((byte)i);
            }
        });

        var bytes = writer.ToBytes();
        var file = Read(bytes);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), bytes.Skip((int)file.DataOffset).Take(10));
    }

    [Fact]
    public void AddTensor_MemoryOfWrongSize_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new GgufWriter().AddTensor("w", GgmlType.F16, [4], new byte[7]));

        Assert.Contains("takes 8 bytes, but 7 were given", e.Message);
    }

    [Fact]
    public void AddTensor_DuplicateName_ThrowsArgumentException()
    {
        var writer = new GgufWriter();
        writer.AddTensor("w", GgmlType.F32, [1], new byte[4]);

        Assert.Throws<ArgumentException>(() => writer.AddTensor("w", GgmlType.F32, [1], new byte[4]));
    }

    [Fact]
    public void AddTensor_NameLongerThanLlamaCppAccepts_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new GgufWriter().AddTensor(new string('x', 64), GgmlType.F32, [1], new byte[4]));

    [Fact]
    public void AddTensor_InvalidShapeOrType_Throws()
    {
        var writer = new GgufWriter();

        Assert.Throws<ArgumentException>(() => writer.AddTensor("a", GgmlType.Q4_0, [33], _ => { }));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("b", GgmlType.F32, [1, 1, 1, 1, 1], _ => { }));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("c", GgmlType.F32, [0], _ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AddTensor("d", (GgmlType)31, [1], _ => { }));
        Assert.Empty(Read(writer.ToBytes()).Tensors);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(48u)]
    public void Constructor_AlignmentNotPowerOfTwo_ThrowsArgumentException(uint alignment) =>
        Assert.Throws<ArgumentException>(() => new GgufWriter(alignment));

    [Fact]
    public void Set_WellKnownKeyWithWrongType_ThrowsArgumentException()
    {
        var writer = new GgufWriter();

        Assert.Throws<ArgumentException>(() => writer.Set("general.alignment", GgufValue.UInt64(64)));
        Assert.Throws<ArgumentException>(() => writer.Set("general.architecture", GgufValue.Int32(1)));
        Assert.Throws<ArgumentException>(() => writer.Set("general.file_type", GgufValue.Int32(-1)));
    }

    [Fact]
    public void Set_EmptyOrNullKey_Throws()
    {
        var writer = new GgufWriter();

        Assert.Throws<ArgumentException>(() => writer.Set("", GgufValue.Bool(true)));
        Assert.Throws<ArgumentNullException>(() => writer.Set(null!, GgufValue.Bool(true)));
        Assert.Throws<ArgumentNullException>(() => writer.Set("k", null!));
    }

    [Fact]
    public void WriteToFile_CallbackFails_LeavesExistingFileAndNoTempFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "model.gguf");
        File.WriteAllText(path, "previous model");
        var writer = new GgufWriter();
        writer.AddTensor("w", GgmlType.F32, [1024], stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("download interrupted");
        });

        var e = Assert.Throws<IOException>(() => writer.WriteToFile(path));

        Assert.Equal("download interrupted", e.Message);
        Assert.Equal("previous model", File.ReadAllText(path));
        Assert.Equal(["model.gguf"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteToFile_WrongByteCount_LeavesNoFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "model.gguf");
        var writer = new GgufWriter();
        writer.AddTensor("w", GgmlType.F32, [4], stream => stream.Write(new byte[4]));

        Assert.Throws<InvalidOperationException>(() => writer.WriteToFile(path));

        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void WriteToFile_Success_ReplacesExistingFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "model.gguf");
        File.WriteAllText(path, "previous model");
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String("llama"));

        writer.WriteToFile(path);

        Assert.Equal("llama", GgufReader.Read(path).Architecture);
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void WriteTo_LargeTensor_StreamsFromCallback()
    {
        // 64 MiB of data written in 1 MiB pieces; the writer must pass it through, not collect it.
        const int Chunk = 1 << 20;
        var piece = new byte[Chunk];
        var writer = new GgufWriter();
        writer.AddTensor("big", GgmlType.I8, [Chunk, 64], stream =>
        {
            for (var i = 0; i < 64; i++)
            {
                stream.Write(piece);
            }
        });
        var sink = new CountingSink();

        var before = GC.GetAllocatedBytesForCurrentThread();
        writer.WriteTo(sink);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(64L * Chunk, sink.Length - 96); // 24-byte header + 39-byte tensor info, padded to 96
        Assert.True(allocated < 4 * Chunk, $"allocated {allocated} bytes");
    }

    // Counts what is written and keeps nothing.
    private sealed class CountingSink : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
