using System.Globalization;
using System.Numerics;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// A JSON number held exactly as sign, significant digits and a power of ten, so that integrality and
/// comparisons hold for any literal (<c>1e400</c>, <c>2.50e1</c>) where double or decimal would round or overflow.
/// </summary>
/// <param name="Negative">True for negative values; zero is never negative.</param>
/// <param name="Digits">The significant digits without leading or trailing zeros; empty for zero.</param>
/// <param name="Exponent">The value is <see cref="Digits"/> × 10^<see cref="Exponent"/>.</param>
internal readonly record struct JsonNumber(bool Negative, string Digits, long Exponent)
{
    // Exponents beyond this are clamped: such numbers are beyond every bound a schema can state anyway.
    private const long ExponentLimit = 1_000_000_000;

    // Integers longer than this many digits are compared by sign alone; bounds are far shorter.
    private const int ExactDigits = 64;

    /// <summary>Schema bounds longer than this are rejected; they are far beyond any integer a model writes.</summary>
    public const int MaxBoundDigits = 40;

    public bool IsZero => Digits.Length == 0;

    /// <summary>True when the fractional part is zero, which is what JSON Schema's "integer" means.</summary>
    public bool IsInteger => IsZero || Exponent >= 0;

    /// <summary>Parses the text of a JSON number literal (as <c>JsonElement.GetRawText</c> returns it).</summary>
    public static JsonNumber Parse(string text)
    {
        var position = 0;
        var negative = text.Length > 0 && text[0] == '-';
        if (negative)
        {
            position++;
        }

        var mantissa = new System.Text.StringBuilder();
        long fractionDigits = 0;
        var inFraction = false;
        for (; position < text.Length && text[position] is (>= '0' and <= '9') or '.'; position++)
        {
            if (text[position] == '.')
            {
                inFraction = true;
                continue;
            }

            mantissa.Append(text[position]);
            if (inFraction)
            {
                fractionDigits++;
            }
        }

        long exponent = 0;
        if (position < text.Length && text[position] is 'e' or 'E')
        {
            position++;
            var exponentNegative = position < text.Length && text[position] == '-';
            if (position < text.Length && text[position] is '+' or '-')
            {
                position++;
            }

            for (; position < text.Length; position++)
            {
                exponent = Math.Min(exponent * 10 + (text[position] - '0'), ExponentLimit);
            }

            exponent = exponentNegative ? -exponent : exponent;
        }

        var digits = mantissa.ToString().TrimStart('0');
        exponent -= fractionDigits;
        var trimmed = digits.TrimEnd('0');
        exponent += digits.Length - trimmed.Length;
        return trimmed.Length == 0 ? new JsonNumber(false, "", 0) : new JsonNumber(negative, trimmed, exponent);
    }

    /// <summary>Compares an integer (<see cref="IsInteger"/> must hold) with <paramref name="bound"/>.</summary>
    public int CompareInteger(BigInteger bound)
    {
        if (IsZero)
        {
            return BigInteger.Zero.CompareTo(bound);
        }

        if (Digits.Length + Exponent > ExactDigits)
        {
            return Negative ? -1 : 1;
        }

        var magnitude = BigInteger.Parse(Digits, CultureInfo.InvariantCulture) * BigInteger.Pow(10, (int)Exponent);
        return (Negative ? -magnitude : magnitude).CompareTo(bound);
    }

    /// <summary>The largest integer not above this number; only for numbers of at most <see cref="MaxBoundDigits"/> integer digits.</summary>
    public BigInteger Floor()
    {
        var whole = WholePart();
        return Negative && Exponent < 0 ? whole - 1 : whole;
    }

    /// <summary>The smallest integer not below this number; only for numbers of at most <see cref="MaxBoundDigits"/> integer digits.</summary>
    public BigInteger Ceiling()
    {
        var whole = WholePart();
        return !Negative && Exponent < 0 && !IsZero ? whole + 1 : whole;
    }

    /// <summary>The number truncated towards zero (digits are trimmed, so Exponent &lt; 0 means a fractional part).</summary>
    private BigInteger WholePart()
    {
        if (IsZero || -Exponent >= Digits.Length)
        {
            return BigInteger.Zero;
        }

        var whole = Exponent >= 0
            ? BigInteger.Parse(Digits, CultureInfo.InvariantCulture) * BigInteger.Pow(10, (int)Exponent)
            : BigInteger.Parse(Digits.AsSpan(0, Digits.Length + (int)Exponent), CultureInfo.InvariantCulture);
        return Negative ? -whole : whole;
    }

    public override string ToString() =>
        IsZero ? "0" : $"{(Negative ? "-" : "")}{Digits}e{Exponent.ToString(CultureInfo.InvariantCulture)}";
}
