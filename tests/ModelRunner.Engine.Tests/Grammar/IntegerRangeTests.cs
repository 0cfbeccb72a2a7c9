using System.Numerics;
using System.Text.RegularExpressions;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

public sealed class IntegerRangeTests
{
    private static readonly int?[] Bounds = [null, -1000, -100, -99, -37, -10, -1, 0, 1, 9, 10, 99, 100, 455, 1000];

    [Fact]
    public void Patterns_EveryRangeOfInterestingBounds_MatchExactlyTheIntegersInRangeOncePerValue()
    {
        foreach (var minimum in Bounds)
        {
            foreach (var maximum in Bounds.Where(maximum => maximum is null || minimum is null || maximum >= minimum))
            {
                var patterns = IntegerRange.Patterns(minimum, maximum).Select(ToRegex).ToList();
                for (var value = -1100; value <= 1100; value++)
                {
                    var text = value.ToString(CultureInfo.InvariantCulture);
                    var matches = patterns.Count(pattern => pattern.IsMatch(text));
                    var expected = (minimum is null || value >= minimum) && (maximum is null || value <= maximum) ? 1 : 0;
                    Assert.True(expected == matches, $"[{minimum}, {maximum}]: {text} matches {matches} patterns");
                }
            }
        }
    }

    [Fact]
    public void Patterns_Always_MatchNoLeadingZerosAndNoNegativeZero()
    {
        var patterns = IntegerRange.Patterns(-50, 50).Select(ToRegex).ToList();

        foreach (var text in new[] { "-0", "00", "01", "-01", "007" })
        {
            Assert.DoesNotContain(patterns, pattern => pattern.IsMatch(text));
        }
    }

    [Fact]
    public void Patterns_BoundsBeyondLong_MatchExactly()
    {
        var low = BigInteger.Parse("99999999999999999999990", CultureInfo.InvariantCulture);
        var high = BigInteger.Parse("100000000000000000000010", CultureInfo.InvariantCulture);
        var patterns = IntegerRange.Patterns(low, high).Select(ToRegex).ToList();

        for (var value = low - 20; value <= high + 20; value++)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(value >= low && value <= high ? 1 : 0, patterns.Count(pattern => pattern.IsMatch(text)));
        }
    }

    [Fact]
    public void Patterns_EmptyRange_IsEmpty()
    {
        Assert.Empty(IntegerRange.Patterns(5, 4));
    }

    [Theory]
    [InlineData(0, 0, "\"0\"")]
    [InlineData(-9, -1, "\"-\" [1-9]")]
    [InlineData(100, 109, "\"10\" [0-9]")]
    [InlineData(1000, 9999, "[1-9] [0-9]{3}")]
    public void ToGbnf_SinglePatternRange_SpellsDigitsCompactly(int minimum, int maximum, string expected)
    {
        var pattern = Assert.Single(IntegerRange.Patterns(minimum, maximum));

        Assert.Equal(expected, pattern.ToGbnf());
    }

    [Fact]
    public void ToGbnf_OpenEndedPattern_EndsWithAnyDigits()
    {
        // Three-digit values come from their own patterns; this one covers four digits and more.
        Assert.Equal("[1-9] [0-9]{3} [0-9]*", IntegerRange.Patterns(100, null)[^1].ToGbnf());
    }

    private static Regex ToRegex(IntegerPattern pattern)
    {
        var digits = string.Concat(pattern.Digits.Select(range => $"[{range.Low}-{range.High}]"));
        return new Regex($"^{(pattern.Negative ? "-" : "")}{digits}{(pattern.MoreDigits ? "[0-9]*" : "")}$", RegexOptions.CultureInvariant);
    }
}
