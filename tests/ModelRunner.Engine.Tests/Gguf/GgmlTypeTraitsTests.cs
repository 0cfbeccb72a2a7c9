using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Tests.Gguf;

public class GgmlTypeTraitsTests
{
    // (id, block size, bytes per block) as measured from libggml.
    public static TheoryData<uint, string, int, int> LibGgmlTable => new()
    {
        { 0, "F32", 1, 4 }, { 1, "F16", 1, 2 }, { 2, "Q4_0", 32, 18 }, { 3, "Q4_1", 32, 20 },
        { 6, "Q5_0", 32, 22 }, { 7, "Q5_1", 32, 24 }, { 8, "Q8_0", 32, 34 }, { 9, "Q8_1", 32, 36 },
        { 10, "Q2_K", 256, 84 }, { 11, "Q3_K", 256, 110 }, { 12, "Q4_K", 256, 144 }, { 13, "Q5_K", 256, 176 },
        { 14, "Q6_K", 256, 210 }, { 15, "Q8_K", 256, 292 }, { 16, "IQ2_XXS", 256, 66 }, { 17, "IQ2_XS", 256, 74 },
        { 18, "IQ3_XXS", 256, 98 }, { 19, "IQ1_S", 256, 50 }, { 20, "IQ4_NL", 32, 18 }, { 21, "IQ3_S", 256, 110 },
        { 22, "IQ2_S", 256, 82 }, { 23, "IQ4_XS", 256, 136 }, { 24, "I8", 1, 1 }, { 25, "I16", 1, 2 },
        { 26, "I32", 1, 4 }, { 27, "I64", 1, 8 }, { 28, "F64", 1, 8 }, { 29, "IQ1_M", 256, 56 },
        { 30, "BF16", 1, 2 }, { 34, "TQ1_0", 256, 54 }, { 35, "TQ2_0", 256, 66 }, { 39, "MXFP4", 32, 17 },
        { 40, "NVFP4", 64, 36 }, { 41, "Q1_0", 128, 18 }, { 42, "Q2_0", 64, 18 },
    };

    [Theory]
    [MemberData(nameof(LibGgmlTable))]
    public void Traits_EveryGgmlType_MatchesLibGgml(uint id, string name, int blockSize, int typeSize)
    {
        var type = (GgmlType)id;

        Assert.Equal(name, type.ToString());
        Assert.True(GgmlTypeTraits.IsKnown(type));
        Assert.Equal(blockSize, GgmlTypeTraits.BlockSize(type));
        Assert.Equal(typeSize, GgmlTypeTraits.TypeSize(type));
    }

    [Fact]
    public void Traits_EnumMembers_AreExactlyTheMeasuredTable()
    {
        var table = LibGgmlTable.Select(row => (uint)row[0]).Order();

        Assert.Equal(table, Enum.GetValues<GgmlType>().Select(t => (uint)t).Order());
    }

    [Theory]
    [InlineData(4u)] // Q4_2, removed
    [InlineData(31u)] // Q4_0_4_4, removed from GGUF files
    [InlineData(43u)] // GGML_TYPE_COUNT
    [InlineData(uint.MaxValue)]
    public void IsKnown_RemovedOrFutureType_IsFalseAndSizesThrow(uint id)
    {
        var type = (GgmlType)id;

        Assert.False(GgmlTypeTraits.IsKnown(type));
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlTypeTraits.BlockSize(type));
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlTypeTraits.TypeSize(type));
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlTypeTraits.TensorBytes(type, [32]));
    }

    [Theory]
    [InlineData(GgmlType.F32, 7L, 28L)]
    [InlineData(GgmlType.BF16, 4096L, 8192L)]
    [InlineData(GgmlType.Q4_0, 64L, 36L)]
    [InlineData(GgmlType.Q4_K, 4096L, 2304L)]
    [InlineData(GgmlType.Q6_K, 0L, 0L)]
    public void RowSize_WholeBlocks_IsBlocksTimesTypeSize(GgmlType type, long elements, long expected) =>
        Assert.Equal(expected, GgmlTypeTraits.RowSize(type, elements));

    [Fact]
    public void RowSize_PartialBlock_ThrowsNamingTheBlockSize()
    {
        var e = Assert.Throws<ArgumentException>(() => GgmlTypeTraits.RowSize(GgmlType.Q4_K, 100));

        Assert.Contains("block size 256", e.Message);
    }

    [Fact]
    public void RowSize_NegativeElements_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlTypeTraits.RowSize(GgmlType.F32, -1));

    [Fact]
    public void TensorBytes_MatrixOfKQuant_IsRowSizeTimesRows() =>
        Assert.Equal(4096L / 256 * 144 * 32000, GgmlTypeTraits.TensorBytes(GgmlType.Q4_K, [4096, 32000]));

    [Fact]
    public void TensorBytes_FourDimensions_MultipliesAll() =>
        Assert.Equal(2L * 3 * 4 * 5 * 2, GgmlTypeTraits.TensorBytes(GgmlType.F16, [2, 3, 4, 5]));

    [Theory]
    [InlineData(new long[0])]
    [InlineData(new long[] { 1, 1, 1, 1, 1 })]
    [InlineData(new long[] { 0 })]
    [InlineData(new long[] { 32, -1 })]
    [InlineData(new long[] { 33 })]
    public void TensorBytes_InvalidDimensions_ThrowsArgumentException(long[] dims) =>
        Assert.ThrowsAny<ArgumentException>(() => GgmlTypeTraits.TensorBytes(GgmlType.Q8_0, dims));

    [Fact]
    public void TensorBytes_ByteCountBeyondInt64_ThrowsOverflow() =>
        Assert.Throws<OverflowException>(() => GgmlTypeTraits.TensorBytes(GgmlType.F64, [1L << 40, 1L << 21]));
}
