using System.Text;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// The rules of one GBNF grammar under construction. Names are unique and readable (derived from where in the
/// schema a rule comes from); rules nothing reaches from the root are left out of the text.
/// </summary>
internal sealed class GbnfRuleSet
{
    // Longer names only make the grammar harder to read in logs.
    private const int MaxNameLength = 48;

    private readonly Dictionary<string, string?> _rules = new(StringComparer.Ordinal);

    /// <summary>Reserves a unique rule name built from <paramref name="hint"/> (lowercased, other characters turned into dashes).</summary>
    public string Reserve(string hint)
    {
        var name = Sanitize(hint);
        var unique = name;
        for (var suffix = 2; _rules.ContainsKey(unique); suffix++)
        {
            unique = $"{name}-{suffix}";
        }

        _rules[unique] = null;
        return unique;
    }

    /// <summary>Gives a reserved (or new, for fixed names) rule its body.</summary>
    public void Define(string name, string body) => _rules[name] = body;

    /// <summary>The grammar text: <paramref name="root"/> first, then every rule it reaches, in the order reached.</summary>
    public string Render(string root)
    {
        var reached = new List<string> { root };
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        for (var i = 0; i < reached.Count; i++)
        {
            var body = _rules.GetValueOrDefault(reached[i]) ?? throw new InvalidOperationException($"grammar rule {reached[i]} is used but never defined");
            foreach (var reference in GbnfText.References(body).Where(seen.Add))
            {
                reached.Add(reference);
            }
        }

        var text = new StringBuilder();
        foreach (var name in reached)
        {
            text.Append(name).Append(" ::= ").Append(_rules[name]).Append('\n');
        }

        return text.ToString();
    }

    private static string Sanitize(string hint)
    {
        var name = new StringBuilder();
        foreach (var c in hint.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                name.Append(c);
            }
            else if (name.Length > 0 && name[^1] != '-')
            {
                name.Append('-');
            }
        }

        var clean = name.ToString().TrimEnd('-');
        clean = clean.Length > MaxNameLength ? clean[..MaxNameLength].TrimEnd('-') : clean;
        return clean.Length == 0 ? "rule" : clean;
    }
}
