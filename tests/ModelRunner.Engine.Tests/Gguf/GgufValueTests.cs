using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Tests.Gguf;

public class GgufValueTests
{
    [Fact]
    public void Factories_EachScalar_HasMatchingTypeAndNoElementType()
    {
        var values = new[]
        {
            (GgufValue.UInt8(1), GgufValueType.UInt8), (GgufValue.Int8(1), GgufValueType.Int8),
            (GgufValue.UInt16(1), GgufValueType.UInt16), (GgufValue.Int16(1), GgufValueType.Int16),
            (GgufValue.UInt32(1), GgufValueType.UInt32), (GgufValue.Int32(1), GgufValueType.Int32),
            (GgufValue.Float32(1), GgufValueType.Float32), (GgufValue.Bool(true), GgufValueType.Bool),
            (GgufValue.String("x"), GgufValueType.String), (GgufValue.UInt64(1), GgufValueType.UInt64),
            (GgufValue.Int64(1), GgufValueType.Int64), (GgufValue.Float64(1), GgufValueType.Float64),
        };

        Assert.All(values, pair =>
        {
            Assert.Equal(pair.Item2, pair.Item1.Type);
            Assert.Null(pair.Item1.ElementType);
        });
    }

    [Fact]
    public void AsInt64_EveryIntegerType_Widens()
    {
        Assert.Equal(255, GgufValue.UInt8(255).AsInt64());
        Assert.Equal(-128, GgufValue.Int8(-128).AsInt64());
        Assert.Equal(65535, GgufValue.UInt16(65535).AsInt64());
        Assert.Equal(-32768, GgufValue.Int16(-32768).AsInt64());
        Assert.Equal(uint.MaxValue, GgufValue.UInt32(uint.MaxValue).AsInt64());
        Assert.Equal(int.MinValue, GgufValue.Int32(int.MinValue).AsInt64());
        Assert.Equal(long.MinValue, GgufValue.Int64(long.MinValue).AsInt64());
        Assert.Equal(long.MaxValue, GgufValue.UInt64(long.MaxValue).AsInt64());
    }

    [Fact]
    public void AsInt64_UInt64AboveInt64Max_ThrowsInvalidOperation()
    {
        var e = Assert.Throws<InvalidOperationException>(() => GgufValue.UInt64(ulong.MaxValue).AsInt64());

        Assert.Contains("UInt64", e.Message);
    }

    [Fact]
    public void AsUInt64_UnsignedAndNonNegative_Widens()
    {
        Assert.Equal(ulong.MaxValue, GgufValue.UInt64(ulong.MaxValue).AsUInt64());
        Assert.Equal(7UL, GgufValue.Int32(7).AsUInt64());
    }

    [Fact]
    public void AsUInt64_Negative_ThrowsInvalidOperation()
    {
        var e = Assert.Throws<InvalidOperationException>(() => GgufValue.Int16(-1).AsUInt64());

        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void AsDouble_FloatsAndIntegers_Convert()
    {
        Assert.Equal(0.5, GgufValue.Float32(0.5f).AsDouble());
        Assert.Equal(Math.E, GgufValue.Float64(Math.E).AsDouble());
        Assert.Equal(-3.0, GgufValue.Int32(-3).AsDouble());
        Assert.Equal(18446744073709551615.0, GgufValue.UInt64(ulong.MaxValue).AsDouble());
    }

    [Fact]
    public void Accessors_WrongType_ThrowNamingTheActualType()
    {
        var text = GgufValue.String("llama");
        var number = GgufValue.Float32(1);
        var array = GgufValue.Array(GgufValueType.Int32, new[] { 1 });

        Assert.Contains("is String, not an integer", Assert.Throws<InvalidOperationException>(() => text.AsInt64()).Message);
        Assert.Contains("is String, not a number", Assert.Throws<InvalidOperationException>(() => text.AsDouble()).Message);
        Assert.Contains("is Float32, not a string", Assert.Throws<InvalidOperationException>(() => number.AsString()).Message);
        Assert.Contains("is Float32, not a boolean", Assert.Throws<InvalidOperationException>(() => number.AsBool()).Message);
        Assert.Contains("is Float32, not an integer", Assert.Throws<InvalidOperationException>(() => number.AsUInt64()).Message);
        Assert.Contains("is Float32, not an array", Assert.Throws<InvalidOperationException>(() => number.ArrayLength).Message);
        Assert.Contains("is an array of Int32, not an array of Single", Assert.Throws<InvalidOperationException>(() => array.AsArray<float>()).Message);
        Assert.Contains("is Bool, not an integer", Assert.Throws<InvalidOperationException>(() => GgufValue.Bool(true).AsInt64()).Message);
    }

    [Fact]
    public void AsArray_SignednessMismatch_ThrowsInsteadOfReinterpreting()
    {
        var value = GgufValue.Array(GgufValueType.UInt32, new[] { uint.MaxValue });

        Assert.Throws<InvalidOperationException>(() => value.AsArray<int>());
        Assert.Throws<InvalidOperationException>(() => GgufValue.Array(GgufValueType.UInt8, new byte[] { 255 }).AsArray<sbyte>());
        Assert.Equal([uint.MaxValue], value.AsArray<uint>());
    }

    [Fact]
    public void AsArray_ScalarValue_Throws() =>
        Assert.Throws<InvalidOperationException>(() => GgufValue.Int32(1).AsArray<int>());

    [Fact]
    public void Array_MismatchedClrType_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => GgufValue.Array(GgufValueType.Float32, new[] { 1.0 }));

        Assert.Contains("Single[]", e.Message);
    }

    [Fact]
    public void Array_MultiDimensionalClrArray_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => GgufValue.Array(GgufValueType.Int32, new int[2, 2]));

    [Fact]
    public void Array_NestedNonArrayOrNull_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => GgufValue.Array(GgufValueType.Array, new[] { GgufValue.Int32(1) }));
        Assert.Throws<ArgumentException>(() => GgufValue.Array(GgufValueType.Array, new GgufValue[] { null! }));
    }

    [Fact]
    public void Array_NullString_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => GgufValue.Array(GgufValueType.String, new string[] { "a", null! }));

    [Fact]
    public void Array_UndefinedElementType_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GgufValue.Array((GgufValueType)13, new int[1]));

    [Fact]
    public void Array_SourceChangedAfterwards_ValueKeepsItsCopy()
    {
        var source = new[] { 1, 2, 3 };
        var value = GgufValue.Array(GgufValueType.Int32, source);

        source[0] = 99;
        value.AsArray<int>()[1] = 99;

        Assert.Equal([1, 2, 3], value.AsArray<int>());
        Assert.Equal(3, value.ArrayLength);
        Assert.Equal(GgufValueType.Int32, value.ElementType);
    }

    [Fact]
    public void String_UnpairedSurrogate_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => GgufValue.String("bad \uD800 text"));

    [Fact]
    public void String_OverSixteenMiB_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => GgufValue.String(new string('x', GgufValue.MaxStringBytes + 1)));

    [Fact]
    public void Equals_SameArrayContents_AreEqualWithEqualHashCodes()
    {
        var a = GgufValue.Array(GgufValueType.String, new[] { "a", "b" });
        var b = GgufValue.Array(GgufValueType.String, new[] { "a", "b" });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, GgufValue.Array(GgufValueType.String, new[] { "a", "c" }));
    }

    [Fact]
    public void Equals_SameNumberDifferentType_AreNotEqual() =>
        Assert.NotEqual(GgufValue.UInt32(1), GgufValue.Int32(1));

    [Fact]
    public void ToString_ArrayAndScalar_AreReadable()
    {
        Assert.Equal("Array of String [2]", GgufValue.Array(GgufValueType.String, new[] { "a", "b" }).ToString());
        Assert.Equal("Float32 0.5", GgufValue.Float32(0.5f).ToString());
    }
}
