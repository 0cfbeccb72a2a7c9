using System.Globalization;
using System.Text;

namespace ModelRunner.Engine.Grammar;

/// <summary>Spelling pieces of GBNF, llama.cpp's grammar notation.</summary>
internal static class GbnfText
{
    /// <summary>
    /// A GBNF string literal matching <paramref name="text"/> exactly. Quotes and backslashes are escaped and
    /// control characters written as <c>\xXX</c>; everything else is written as itself (llama.cpp reads the
    /// grammar as UTF-8).
    /// </summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => literal.Append("\\\""),
                '\\' => literal.Append("\\\\"),
                '\n' => literal.Append("\\n"),
                '\r' => literal.Append("\\r"),
                '\t' => literal.Append("\\t"),
                < ' ' or (>= '\x7F' and <= '\x9F') => literal.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)),
                _ => literal.Append(c),
            };
        }

        return literal.Append('"').ToString();
    }

    /// <summary>
    /// <paramref name="atom"/> (a symbol or a parenthesised group) repeated min to max times; max null means no limit.
    /// Empty when max is 0.
    /// </summary>
    public static string Repeat(string atom, int min, int? max) => (min, max) switch
    {
        (_, 0) => "",
        (0, null) => atom + "*",
        (1, null) => atom + "+",
        (0, 1) => atom + "?",
        (1, 1) => atom,
        (_, null) => $"{atom}{{{min},}}",
        var (low, high) when low == high => $"{atom}{{{low}}}",
        _ => $"{atom}{{{min},{max}}}",
    };

    /// <summary>
    /// The rule names a rule body refers to: every name outside string literals, character classes and
    /// repetition counts.
    /// </summary>
    public static IEnumerable<string> References(string body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is '"' or '[')
            {
                var close = c == '"' ? '"' : ']';
                for (i++; i < body.Length && body[i] != close; i++)
                {
                    if (body[i] == '\\')
                    {
                        i++;
                    }
                }
            }
            else if (c == '{')
            {
                i = body.IndexOf('}', i);
            }
            else if (IsNameChar(c))
            {
                var start = i;
                while (i + 1 < body.Length && IsNameChar(body[i + 1]))
                {
                    i++;
                }

                yield return body[start..(i + 1)];
            }
        }
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';
}
