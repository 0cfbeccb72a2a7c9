using System.Text.RegularExpressions;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>
/// Reads the rule structure of a GBNF text independently of the engine: which rules it defines and which names
/// their bodies use, so a test can prove no rule is used but missing.
/// </summary>
internal static partial class GbnfRules
{
    /// <summary>Rule name → the names its body refers to.</summary>
    public static Dictionary<string, List<string>> Parse(string grammar)
    {
        var rules = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in grammar.Split('\n'))
        {
            var definition = Definition().Match(line);
            string body;
            if (definition.Success)
            {
                current = definition.Groups["name"].Value;
                Assert.False(rules.ContainsKey(current), $"rule {current} is defined twice");
                rules[current] = [];
                body = definition.Groups["body"].Value;
            }
            else if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            else
            {
                Assert.NotNull(current);
                body = line;
            }

            rules[current].AddRange(Names(body));
        }

        return rules;
    }

    /// <summary>Names used in some rule body that no rule defines.</summary>
    public static IReadOnlyList<string> Undefined(string grammar)
    {
        var rules = Parse(grammar);
        return [.. rules.Values.SelectMany(names => names).Where(name => !rules.ContainsKey(name)).Distinct()];
    }

    /// <summary>The symbol names in a body: strip literals, character classes and counts, then read words.</summary>
    private static IEnumerable<string> Names(string body)
    {
        var stripped = Literal().Replace(body, " ");
        stripped = CharacterClass().Replace(stripped, " ");
        stripped = Count().Replace(stripped, " ");
        return Word().Matches(stripped).Select(match => match.Value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z0-9-]+)\s*::=(?<body>.*)$")]
    private static partial Regex Definition();

    [GeneratedRegex(@"""(\\.|[^""\\])*""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\[(\\.|[^\]\\])*\]")]
    private static partial Regex CharacterClass();

    [GeneratedRegex(@"\{\d*(,\d*)?\}")]
    private static partial Regex Count();

    [GeneratedRegex(@"[a-zA-Z0-9-]+")]
    private static partial Regex Word();
}
