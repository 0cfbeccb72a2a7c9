using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>RFC 6901 JSON Pointers: building them for messages and resolving local <c>$ref</c>s with them.</summary>
internal static class JsonPointer
{
    /// <summary>Appends one reference token, escaping <c>~</c> and <c>/</c> as RFC 6901 requires.</summary>
    public static string Append(string pointer, string token) =>
        pointer + "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Resolves the fragment of a local reference (<c>#</c>, <c>#/$defs/Node</c>) against the root schema.
    /// Returns false when the reference is not a JSON Pointer fragment or points at nothing.
    /// </summary>
    /// <param name="root">The whole schema document.</param>
    /// <param name="reference">The <c>$ref</c> value.</param>
    /// <param name="pointer">The unescaped pointer, e.g. <c>/$defs/Node</c>, used to identify the target.</param>
    /// <param name="target">The schema the pointer names.</param>
    public static bool TryResolve(JsonElement root, string reference, out string pointer, out JsonElement target)
    {
        pointer = "";
        target = root;
        if (!reference.StartsWith('#'))
        {
            return false;
        }

        // The fragment is URI-encoded (e.g. %20 for a space) before it is a JSON Pointer.
        var fragment = Uri.UnescapeDataString(reference[1..]);
        if (fragment.Length == 0)
        {
            return true;
        }

        if (fragment[0] != '/')
        {
            return false;
        }

        var canonical = new StringBuilder();
        foreach (var escaped in fragment[1..].Split('/'))
        {
            var token = escaped.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(token, out var child))
            {
                target = child;
            }
            else if (target.ValueKind == JsonValueKind.Array
                && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < target.GetArrayLength()
                && token == index.ToString(CultureInfo.InvariantCulture))
            {
                target = target[index];
            }
            else
            {
                return false;
            }

            canonical.Append(Append("", token));
        }

        pointer = canonical.ToString();
        return true;
    }
}
