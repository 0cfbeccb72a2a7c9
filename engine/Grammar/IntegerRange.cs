using System.Globalization;
using System.Numerics;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// Turns an integer range into digit patterns a grammar can match, so <c>minimum</c> and <c>maximum</c> hold
/// exactly: only canonical literals (no leading zeros, no <c>-0</c>) and every integer in the range by exactly
/// one pattern.
/// </summary>
internal static class IntegerRange
{
    /// <summary>The patterns for the integers in [<paramref name="minimum"/>, <paramref name="maximum"/>]; null means unbounded. Empty when the range is.</summary>
    public static IReadOnlyList<IntegerPattern> Patterns(BigInteger? minimum, BigInteger? maximum)
    {
        var patterns = new List<IntegerPattern>();
        if (minimum > maximum)
        {
            return patterns;
        }

        // Negative numbers are a minus sign before a magnitude range: [-80, -5] is "-" then [5, 80].
        if (minimum is null || minimum < 0)
        {
            var nearest = maximum is { } top && top < 0 ? -top : BigInteger.One;
            var farthest = minimum is { } bottom ? -bottom : (BigInteger?)null;
            patterns.AddRange(Magnitudes(nearest, farthest).Select(pattern => pattern with { Negative = true }));
        }

        if (maximum is null || maximum >= 0)
        {
            var low = minimum is { } bottom && bottom > 0 ? bottom : BigInteger.Zero;
            patterns.AddRange(Magnitudes(low, maximum));
        }

        return patterns;
    }

    /// <summary>Patterns for the non-negative integers in [low, high]; high null means no upper end.</summary>
    private static IEnumerable<IntegerPattern> Magnitudes(BigInteger low, BigInteger? high)
    {
        if (low.IsZero)
        {
            yield return new IntegerPattern(false, [('0', '0')], false);
            low = BigInteger.One;
            if (high < low)
            {
                yield break;
            }
        }

        // Numbers of each digit count are matched separately, so no pattern needs a leading zero.
        var lowDigits = Text(low).Length;
        var lastLength = high is { } end ? Text(end).Length : lowDigits;
        for (var length = lowDigits; length <= lastLength; length++)
        {
            var first = BigInteger.Max(low, BigInteger.Pow(10, length - 1));
            var last = BigInteger.Pow(10, length) - 1;
            if (high is { } bound && bound < last)
            {
                last = bound;
            }

            foreach (var digits in SameLength(Text(first), Text(last)))
            {
                yield return new IntegerPattern(false, digits, false);
            }
        }

        if (high is null)
        {
            // Everything longer than the lower bound: a non-zero digit, then at least as many digits again.
            yield return new IntegerPattern(false, [('1', '9'), .. Enumerable.Repeat(('0', '9'), lowDigits)], MoreDigits: true);
        }
    }

    /// <summary>Digit ranges for the numbers from <paramref name="first"/> to <paramref name="last"/>, both of the same length.</summary>
    private static IEnumerable<List<(char Low, char High)>> SameLength(string first, string last)
    {
        if (first.Length == 1)
        {
            yield return [(first[0], last[0])];
            yield break;
        }

        if (first[0] == last[0])
        {
            foreach (var rest in SameLength(first[1..], last[1..]))
            {
                yield return [(first[0], first[0]), .. rest];
            }

            yield break;
        }

        // first = a..., last = b... with a < b: a followed by [rest of first, 99..], then (a+1..b-1) followed by
        // anything, then b followed by [00.., rest of last]. A side whose rest is already 00.. or 99.. joins the middle.
        var tail = first.Length - 1;
        var middleLow = first[0];
        var middleHigh = last[0];
        if (first[1..].Any(digit => digit != '0'))
        {
            foreach (var rest in SameLength(first[1..], new string('9', tail)))
            {
                yield return [(first[0], first[0]), .. rest];
            }

            middleLow++;
        }

        var lastFull = last[1..].All(digit => digit == '9');
        if (!lastFull)
        {
            middleHigh--;
        }

        if (middleLow <= middleHigh)
        {
            yield return [(middleLow, middleHigh), .. Enumerable.Repeat(('0', '9'), tail)];
        }

        if (!lastFull)
        {
            foreach (var rest in SameLength(new string('0', tail), last[1..]))
            {
                yield return [(last[0], last[0]), .. rest];
            }
        }
    }

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
