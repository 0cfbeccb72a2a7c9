using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// JSON text helpers that work on the raw text of a <see cref="JsonElement"/>. They decode strings themselves
/// because <see cref="JsonElement.GetString"/> throws on a lone surrogate escape such as <c>"\ud800"</c>, which
/// is valid JSON.
/// </summary>
internal static class JsonText
{
    /// <summary>The UTF-16 code units of a JSON string element, lone surrogates included.</summary>
    public static string DecodeString(JsonElement element)
    {
        var raw = element.GetRawText();
        var text = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            if (raw[i] != '\\')
            {
                text.Append(raw[i]);
                continue;
            }

            i++;
            text.Append(raw[i] switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                var other => other,
            });
            if (raw[i] == 'u')
            {
                i += 4;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The length of a string as JSON Schema counts it: in Unicode code points, so a surrogate pair is one
    /// character (and a lone surrogate, which is no pair, also one).
    /// </summary>
    public static int CodePointLength(string text)
    {
        var length = 0;
        for (var i = 0; i < text.Length; i++, length++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
        }

        return length;
    }

    /// <summary>
    /// Writes <paramref name="value"/> as compact JSON in one canonical spelling: no whitespace, strings with
    /// only the escapes JSON needs plus escapes for DEL and C1 controls and lone surrogates (which UTF-8 cannot
    /// carry). This is the exact text the grammar lets the model write for an enum or const value.
    /// </summary>
    public static string Canonical(JsonElement value)
    {
        var text = new StringBuilder();
        WriteCanonical(text, value);
        return text.ToString();
    }

    /// <summary>A string as a JSON string literal, quotes included, in the canonical spelling.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2);
        WriteString(text, value);
        return text.ToString();
    }

    /// <summary>Writes a string as a JSON string literal, quotes included, in the canonical spelling.</summary>
    public static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        text.Append(c).Append(value[++i]);
                    }
                    else if (c < 0x20 || c is >= '\x7F' and <= '\x9F' || char.IsSurrogate(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private static void WriteCanonical(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var firstProperty = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!firstProperty)
                    {
                        text.Append(',');
                    }

                    firstProperty = false;
                    WriteString(text, property.Name);
                    text.Append(':');
                    WriteCanonical(text, property.Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        text.Append(',');
                    }

                    firstItem = false;
                    WriteCanonical(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, DecodeString(value));
                break;
            default:
                // Numbers keep their literal (1.50 stays 1.50: it is the same JSON value); true, false, null are fixed.
                text.Append(value.GetRawText());
                break;
        }
    }
}
