using ModelRunner.Engine.Gguf;
using static ModelRunner.Engine.Tests.Gguf.GgufTestData;

namespace ModelRunner.Engine.Tests.Gguf;

/// <summary>Every way a GGUF file can be broken must end in a <see cref="GgufFormatException"/> that says what and where.</summary>
public class GgufReaderMalformedTests
{
    [Fact]
    public void Read_EveryTruncation_ThrowsFormatException()
    {
        var bytes = SmallCompleteFile();
        Read(bytes); // the whole file is valid

        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Record.Exception(() => Read(bytes[..length]));

            Assert.True(e is GgufFormatException, $"truncated to {length} of {bytes.Length} bytes: {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Read_TruncatedInHeader_SaysWhatIsMissingAndWhere() =>
        Assert.Equal("truncated GGUF: need 8 bytes at offset 8, file has 12", ReadFails(SmallCompleteFile()[..12]).Message);

    [Fact]
    public void Read_Empty_ThrowsTruncated() =>
        Assert.Equal("truncated GGUF: need 4 bytes at offset 0, file has 0", ReadFails([]).Message);

    [Fact]
    public void Read_BadMagic_ThrowsNamingTheBytes()
    {
        var bytes = SmallCompleteFile();
        "GGML"u8.CopyTo(bytes);

        Assert.StartsWith("not a GGUF file: bad magic 0x47474D4C at offset 0", ReadFails(bytes).Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(uint.MaxValue)]
    public void Read_UnsupportedVersion_Throws(uint version) =>
        Assert.StartsWith($"unsupported GGUF version {version} at offset 4", ReadFails(RawGguf.Header(0, 0, version).ToArray()).Message);

    [Fact]
    public void Read_VersionTwo_IsAccepted() => Assert.Equal(2u, Read(RawGguf.Header(0, 0, version: 2).ToArray()).Version);

    [Fact]
    public void Read_BigEndianFile_SaysSo() =>
        Assert.Contains("big-endian", ReadFails(RawGguf.Header(0, 0, version: 0x03000000).ToArray()).Message);

    [Fact]
    public void Read_AbsurdMetadataCount_RejectedWithoutAllocating()
    {
        var bytes = RawGguf.Header(0, 1UL << 60).Zeros(4072).ToArray();

        var (e, allocated) = Measure(() => ReadFails(bytes));

        Assert.Equal("metadata count 1152921504606846976 at offset 16 is impossible for a 4096-byte file", e.Message);
        AssertCheap(allocated);
    }

    [Fact]
    public void Read_AbsurdTensorCount_Throws() =>
        Assert.StartsWith("tensor count 9223372036854775807 at offset 8 is impossible", ReadFails(RawGguf.Header(long.MaxValue, 0).ToArray()).Message);

    [Fact]
    public void Read_CountsPlausibleAloneButNotTogether_Throws()
    {
        var bytes = RawGguf.Header(3, 5).Zeros(100).ToArray(); // 3 * 32 + 5 * 13 > 100

        Assert.Contains("impossible together", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_ArrayClaimingTwoToTheSixtyStrings_RejectedWithoutAllocating()
    {
        var bytes = RawGguf.Header(0, 1).Key("tokenizer.ggml.tokens", GgufValueType.Array)
            .U32((uint)GgufValueType.String).U64(1UL << 60).Str("<s>").ToArray();

        var (e, allocated) = Measure(() => ReadFails(bytes));

        Assert.StartsWith("array of 1152921504606846976 String elements at offset 57 is impossible", e.Message);
        AssertCheap(allocated);
    }

    [Fact]
    public void Read_ArrayLongerThanRemainingBytes_Throws()
    {
        var bytes = RawGguf.Header(0, 1).Key("scores", GgufValueType.Array)
            .U32((uint)GgufValueType.Float32).U64(5).Zeros(16).ToArray();

        Assert.Contains("array of 5 Float32 elements", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_StringOverSixteenMiB_ThrowsNamingTheLimit()
    {
        var bytes = RawGguf.Header(0, 1).Key("general.name", GgufValueType.String).U64(5_000_000_000).ToArray();

        Assert.Equal("string of 5000000000 bytes at offset 48 exceeds the 16 MiB limit for a GGUF string", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_KeyOverSixteenMiB_ThrowsNamingTheLimit()
    {
        var bytes = RawGguf.Header(0, 1).U64(1UL << 40).Zeros(16).ToArray();

        Assert.StartsWith("metadata key of 1099511627776 bytes at offset 24 exceeds the 16 MiB limit", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_StringLongerThanRemainingBytes_ThrowsTruncated()
    {
        var bytes = RawGguf.Header(0, 1).Key("k", GgufValueType.String).U64(1000).Zeros(10).ToArray();

        Assert.Equal("truncated GGUF: need 1000 bytes at offset 45, file has 55", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_UnknownValueType_ThrowsNamingTypeAndKey()
    {
        var bytes = RawGguf.Header(0, 1).Key("general.name", (GgufValueType)13).Zeros(8).ToArray();

        Assert.Equal("unknown GGUF value type 13 for general.name at offset 44", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_UnknownArrayElementType_Throws()
    {
        var bytes = RawGguf.Header(0, 1).Key("k", GgufValueType.Array).U32(99).U64(0).ToArray();

        Assert.StartsWith("unknown GGUF value type 99 for array elements", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_ArraysNestedTooDeep_Throws()
    {
        var raw = RawGguf.Header(0, 1).Key("k", GgufValueType.Array);
        for (var i = 0; i < 20; i++)
        {
            raw.U32((uint)GgufValueType.Array).U64(1);
        }

        Assert.Contains("nested more than 8 deep", ReadFails(raw.Zeros(12).ToArray()).Message);
    }

    [Fact]
    public void Read_BoolOtherThanZeroOrOne_Throws()
    {
        var bytes = RawGguf.Header(0, 1).Key("flag", GgufValueType.Bool).U8(2).ToArray();

        Assert.Equal("bool value 2 at offset 40 is neither 0 nor 1", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_InvalidUtf8Key_Throws()
    {
        var bytes = RawGguf.Header(0, 1).StrBytes([0x67, 0xFF, 0xFE]).U32((uint)GgufValueType.UInt8).U8(0).ToArray();

        Assert.Equal("metadata key at offset 24 is not valid UTF-8", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_InvalidUtf8TensorName_Throws()
    {
        var bytes = RawGguf.Header(1, 0).StrBytes([0xC3]).U32(1).I64(1).U32((uint)GgmlType.F32).U64(0).PadTo(32).Zeros(32).ToArray();

        Assert.Equal("tensor name at offset 24 is not valid UTF-8", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_InvalidUtf8InStringValue_IsReplacedNotRejected()
    {
        // llama.cpp loads such vocabularies, so the reader keeps going and marks the bad bytes with U+FFFD.
        var bytes = RawGguf.Header(0, 1).Key("token", GgufValueType.String).StrBytes([0x61, 0xFF, 0x62]).ToArray();

        Assert.Equal("a\uFFFDb", Read(bytes)["token"].AsString());
    }

    [Fact]
    public void Read_DuplicateKey_Throws()
    {
        var bytes = RawGguf.Header(0, 2)
            .Key("general.name", GgufValueType.UInt8).U8(1)
            .Key("general.name", GgufValueType.UInt8).U8(2).ToArray();

        Assert.Equal("duplicate metadata key 'general.name' at offset 49", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_DuplicateTensorName_Throws()
    {
        var bytes = RawGguf.Header(2, 0)
            .TensorInfo("w", GgmlType.F32, 0, 8)
            .TensorInfo("w", GgmlType.F32, 32, 8).PadTo(32).Zeros(64).ToArray();

        Assert.Equal("duplicate tensor name 'w' at offset 57", ReadFails(bytes).Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(5u)]
    public void Read_DimensionCountOutOfRange_Throws(uint dimensions)
    {
        var bytes = RawGguf.Header(1, 0).Str("w").U32(dimensions).Zeros(200).ToArray();

        Assert.Equal($"tensor 'w' has {dimensions} dimensions at offset 33; GGUF allows 1 to 4", ReadFails(bytes).Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-4L)]
    public void Read_NonPositiveDimension_Throws(long dimension)
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.F32, 0, 4, dimension).PadTo(32).Zeros(64).ToArray();

        Assert.Equal($"tensor 'w' dimension 1 is {dimension} at offset 45; dimensions must be positive", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_ElementCountOverflowingInt64_Throws()
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.F32, 0, 1L << 32, 1L << 32).PadTo(32).ToArray();

        Assert.Equal("tensor 'w' at offset 24 has more elements than fit in 64 bits", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_ByteCountOverflowingInt64_Throws()
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.F64, 0, 1L << 31, 1L << 31).PadTo(32).ToArray();

        Assert.Equal("tensor 'w' at offset 24 has more bytes than fit in 64 bits", ReadFails(bytes).Message);
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(31u)]
    [InlineData(99u)]
    public void Read_UnknownGgmlType_Throws(uint type)
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", (GgmlType)type, 0, 32).PadTo(32).Zeros(128).ToArray();

        Assert.Equal($"tensor 'w' has unknown ggml type {type} at offset 45", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_RowNotWholeBlocks_Throws()
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.Q4_K, 0, 100).PadTo(32).Zeros(256).ToArray();

        Assert.Contains("rows of 100 elements, not a multiple of the Q4_K block size 256", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_UnalignedTensorOffset_Throws()
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.F32, 16, 4).PadTo(32).Zeros(64).ToArray();

        Assert.Equal("tensor 'w' data offset 16 at offset 49 is not a multiple of the alignment 32", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_TensorDataPastEndOfFile_Throws()
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.F32, 0, 16).PadTo(32).Zeros(63).ToArray();

        Assert.Equal(
            "tensor 'w' data (64 bytes at offset 0 of the data section, which starts at 64) extends past the end of the 127-byte file",
            ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_TensorOffsetFarPastEndOfFile_Throws()
    {
        var bytes = RawGguf.Header(1, 0).TensorInfo("w", GgmlType.F32, 1UL << 63, 8).PadTo(32).Zeros(32).ToArray();

        Assert.Contains("extends past the end", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_OverlappingTensors_Throws()
    {
        var bytes = RawGguf.Header(2, 0)
            .TensorInfo("a", GgmlType.F32, 0, 16)
            .TensorInfo("b", GgmlType.F32, 32, 8).PadTo(32).Zeros(64).ToArray();

        Assert.Equal("tensor 'b' data at offset 32 overlaps tensor 'a', which ends at 64", ReadFails(bytes).Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(48u)]
    public void Read_AlignmentNotPowerOfTwo_Throws(uint alignment)
    {
        var bytes = RawGguf.Header(0, 1).Key("general.alignment", GgufValueType.UInt32).U32(alignment).ToArray();

        Assert.Equal($"general.alignment {alignment} is not a power of two (value at offset 49)", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_AlignmentOfWrongType_Throws()
    {
        var bytes = RawGguf.Header(0, 1).Key("general.alignment", GgufValueType.UInt64).U64(32).ToArray();

        Assert.StartsWith("general.alignment is UInt64; it must be UInt32", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_ArchitectureNotString_Throws()
    {
        var bytes = RawGguf.Header(0, 1).Key("general.architecture", GgufValueType.UInt32).U32(1).ToArray();

        Assert.StartsWith("general.architecture is UInt32; it must be String", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_NegativeFileType_Throws()
    {
        var bytes = RawGguf.Header(0, 1).Key("general.file_type", GgufValueType.Int32).U32(uint.MaxValue).ToArray();

        Assert.StartsWith("general.file_type is Int32 -1; it must be an integer", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_NonSeekableStream_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => GgufReader.Read(new TestStream(SmallCompleteFile(), seekable: false)));

    [Fact]
    public void Read_StreamFailure_ThrowsIOExceptionWithOffset()
    {
        var e = Assert.Throws<IOException>(() => GgufReader.Read(new TestStream(SmallCompleteFile(), failAfter: 10)));

        Assert.Equal("reading the GGUF failed at offset 0: simulated device error", e.Message);
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => GgufReader.Read(Path.Combine(AppContext.BaseDirectory, "no-such-model.gguf")));

    private static (GgufFormatException Exception, long Allocated) Measure(Func<GgufFormatException> read)
    {
        read(); // warm up, so JIT and first-use allocations are not counted
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = read();
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // The reader's own 64 KiB buffer plus an exception; nothing that scales with the claimed count.
    // (The message naming the count and its offset shows it was refused before any element was read.)
    private static void AssertCheap(long allocated) =>
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes");
}
