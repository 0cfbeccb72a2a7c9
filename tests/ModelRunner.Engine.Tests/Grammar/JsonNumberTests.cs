using System.Numerics;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

public sealed class JsonNumberTests
{
    [Theory]
    [InlineData("0", false, "", 0)]
    [InlineData("-0.000e5", false, "", 0)]
    [InlineData("120", false, "12", 1)]
    [InlineData("-1.50", true, "15", -1)]
    [InlineData("2.5e1", false, "25", 0)]
    [InlineData("0.001E+2", false, "1", -1)]
    [InlineData("1e-7", false, "1", -7)]
    public void Parse_Literal_NormalizesDigitsAndExponent(string text, bool negative, string digits, long exponent)
    {
        Assert.Equal(new JsonNumber(negative, digits, exponent), JsonNumber.Parse(text));
    }

    [Theory]
    [InlineData("3", true)]
    [InlineData("3.0", true)]
    [InlineData("25e-1", false)]
    [InlineData("1e400", true)]
    [InlineData("1e-400", false)]
    [InlineData("-0.0", true)]
    public void IsInteger_Literal_MatchesJsonSchemaIntegers(string text, bool expected)
    {
        Assert.Equal(expected, JsonNumber.Parse(text).IsInteger);
    }

    [Theory]
    [InlineData("2.5", 2, 3)]
    [InlineData("-2.5", -3, -2)]
    [InlineData("-0.5", -1, 0)]
    [InlineData("0.5", 0, 1)]
    [InlineData("7", 7, 7)]
    [InlineData("1e3", 1000, 1000)]
    [InlineData("1e-9", 0, 1)]
    public void FloorAndCeiling_Literal_RoundToTheNearestIntegers(string text, int floor, int ceiling)
    {
        var number = JsonNumber.Parse(text);

        Assert.Equal(new BigInteger(floor), number.Floor());
        Assert.Equal(new BigInteger(ceiling), number.Ceiling());
    }

    [Theory]
    [InlineData("10", 9, 1)]
    [InlineData("10", 10, 0)]
    [InlineData("-10", -9, -1)]
    [InlineData("0", 0, 0)]
    [InlineData("1e100", 1000000, 1)]
    [InlineData("-1e100", -1000000, -1)]
    public void CompareInteger_WithBound_OrdersBySignedValue(string text, int bound, int expected)
    {
        Assert.Equal(expected, Math.Sign(JsonNumber.Parse(text).CompareInteger(bound)));
    }
}
