namespace ModelRunner.Engine.Grammar;

/// <summary>
/// One shape of integer literal: an optional minus, one digit range per position, and optionally any number of
/// further digits. <c>[1-9] [0-9]{2}</c> is every three-digit number; the patterns of an
/// <see cref="IntegerRange"/> together match exactly the integers in the range, each by one pattern.
/// </summary>
/// <param name="Negative">The literal starts with a minus sign.</param>
/// <param name="Digits">The allowed digits at each position, as (low, high) inclusive.</param>
/// <param name="MoreDigits">Any number of further digits may follow (for ranges without an upper end).</param>
internal sealed record IntegerPattern(bool Negative, IReadOnlyList<(char Low, char High)> Digits, bool MoreDigits)
{
    /// <summary>The pattern as a GBNF sequence, e.g. <c>"-" "1" [0-4] [0-9]{2}</c>.</summary>
    public string ToGbnf()
    {
        var parts = new List<string>();
        if (Negative)
        {
            parts.Add("\"-\"");
        }

        var literal = new System.Text.StringBuilder();
        for (var i = 0; i < Digits.Count;)
        {
            var (low, high) = Digits[i];
            if (low == high)
            {
                // Fixed digits in a row read best as one literal: "12" rather than "1" "2".
                literal.Append(low);
                i++;
                continue;
            }

            if (literal.Length > 0)
            {
                parts.Add($"\"{literal}\"");
                literal.Clear();
            }

            var run = 1;
            while (i + run < Digits.Count && Digits[i + run] == (low, high))
            {
                run++;
            }

            var atom = $"[{low}-{high}]";
            parts.Add(run == 1 ? atom : $"{atom}{{{run}}}");
            i += run;
        }

        if (literal.Length > 0)
        {
            parts.Add($"\"{literal}\"");
        }

        if (MoreDigits)
        {
            parts.Add("[0-9]*");
        }

        return string.Join(' ', parts);
    }
}
