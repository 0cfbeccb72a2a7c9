using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// Builds the GBNF grammar for a compiled schema. Every string the grammar admits is JSON that validates against
/// the schema; it admits a subset of the valid JSON, chosen so a model cannot wander off:
/// <list type="bullet">
/// <item>whitespace between tokens is bounded (<see cref="MaxIndent"/>), so a model cannot emit spaces forever;</item>
/// <item>an object with declared properties has exactly those (required ones always, optional ones if the model
/// likes), in schema order — which keeps the grammar linear in the number of properties;</item>
/// <item>enum and const values, and property names, are written in one canonical spelling;</item>
/// <item>strings never use <c>\u</c> escapes of surrogates, so each grammar character is one code point and
/// <c>minLength</c>/<c>maxLength</c> count exactly as JSON Schema does (characters outside the BMP are written
/// as themselves); raw control characters (C0, DEL, C1) are never written, only their escapes.</item>
/// </list>
/// Numbers keep JSON's full syntax; integers have no leading zeros.
/// </summary>
internal sealed class GrammarBuilder
{
    /// <summary>
    /// At most one newline and this many spaces or tabs between two tokens: enough for pretty-printed JSON
    /// ten levels deep, and a bound on how long a model can stall on whitespace.
    /// </summary>
    public const int MaxIndent = 20;

    private const string Quote = "\"\\\"\"";
    private const string EmptyObject = "\"{\" ws \"}\"";
    private const string EmptyArray = "\"[\" ws \"]\"";

    /// <summary>The JSON building blocks every grammar may use; those a grammar does not reach are left out of its text.</summary>
    private static readonly (string Name, string Body)[] Primitives =
    [
        ("ws", $"\"\\n\"? [ \\t]{{0,{MaxIndent}}}"),
        ("value", "object | array | string | number | boolean | null"),
        ("object", "\"{\" ws ( member ( ws \",\" ws member )* ws )? \"}\""),
        ("member", """string ws ":" ws value"""),
        ("array", "\"[\" ws ( value ( ws \",\" ws value )* ws )? \"]\""),
        ("string", $"{Quote} char* {Quote}"),
        // Any character but a quote, a backslash or a control character, or an escape; \u escapes of
        // surrogates are left out so that one grammar character is always one code point.
        ("char", """[^"\\\x00-\x1F\x7F-\x9F] | "\\" ( ["\\/bfnrt] | "u" hex4 )"""),
        ("hex4", """[0-9a-cA-Ce-fE-F] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}"""),
        ("number", """integer ( "." [0-9]+ )? ( [eE] [-+]? [0-9]+ )?"""),
        ("integer", "\"-\"? ( \"0\" | [1-9] [0-9]* )"),
        ("boolean", "\"true\" | \"false\""),
        ("null", "\"null\""),
    ];

    private readonly GbnfRuleSet _rules = new();
    private readonly Dictionary<SchemaNode, string?> _built = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SchemaNode, string> _building = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<SchemaNode> _recursive = new(ReferenceEqualityComparer.Instance);

    private GrammarBuilder()
    {
        foreach (var (name, body) in Primitives)
        {
            _rules.Define(name, body);
        }
    }

    /// <summary>The grammar for <paramref name="root"/>, with root rule <c>root</c>.</summary>
    /// <exception cref="UnsupportedSchemaException">No JSON value satisfies the schema, or a oneOf's alternatives may overlap.</exception>
    public static string Build(SchemaNode root)
    {
        var builder = new GrammarBuilder();
        var rule = builder.Rule(root)
            ?? throw new UnsupportedSchemaException(null, root.Pointer, "no JSON value satisfies this schema, so no grammar can produce one");
        if (rule != "root")
        {
            builder._rules.Define("root", rule);
        }

        return builder._rules.Render("root");
    }

    /// <summary>A grammar whose root is any JSON object.</summary>
    public static string AnyObject()
    {
        var builder = new GrammarBuilder();
        builder._rules.Define("root", "object");
        return builder._rules.Render("root");
    }

    /// <summary>The enum/const values of <paramref name="node"/> that satisfy all its other keywords too.</summary>
    public static IReadOnlyList<JsonElement> AllowedValues(SchemaNode node)
    {
        // Values taken from the enum itself are members by construction; skipping that search keeps a long
        // enum linear rather than quadratic.
        var fromEnum = node.Const is null;
        return [.. node.CandidateValues.Where(value => SchemaInstanceValidator.Validate(node, value, knownEnumMember: fromEnum) is null)];
    }

    /// <summary>The rule (or shared primitive) that matches <paramref name="node"/>; null when no value satisfies it.</summary>
    private string? Rule(SchemaNode node)
    {
        if (_built.TryGetValue(node, out var built))
        {
            return built;
        }

        if (_building.TryGetValue(node, out var pending))
        {
            // A recursive reference: the rule's name is known before its body is.
            _recursive.Add(node);
            return pending;
        }

        var name = _rules.Reserve(Hint(node.Pointer));
        _building[node] = name;
        var body = Body(node, name);
        _building.Remove(node);
        var recursive = _recursive.Contains(node);
        if (body is null && recursive)
        {
            throw new UnsupportedSchemaException(null, node.Pointer, "this recursive schema accepts no value, yet refers to itself");
        }

        // A body that is just another rule's name needs no rule of its own.
        var result = body is null || (!recursive && IsName(body)) ? body : name;
        if (result == name)
        {
            _rules.Define(name, body!);
        }

        _built[node] = result;
        return result;
    }

    private string? Body(SchemaNode node, string name)
    {
        if (node.IsNever)
        {
            return null;
        }

        if (node.HasValues)
        {
            // The values are listed outright: keep those every other keyword accepts too (duplicates once).
            var literals = AllowedValues(node).Select(value => GbnfText.Literal(JsonText.Canonical(value))).Distinct(StringComparer.Ordinal).ToList();
            return literals.Count == 0 ? null : string.Join(" | ", literals);
        }

        if (node.Reference is { } reference)
        {
            return Rule(reference.Target);
        }

        if (node.AnyOf is { } anyOf)
        {
            return Alternatives(anyOf);
        }

        if (node.OneOf is { } oneOf)
        {
            RequireDisjoint(node, oneOf);
            return Alternatives(oneOf);
        }

        if (node.IsAny)
        {
            return "value";
        }

        var parts = new List<string?>();
        var kinds = node.Kinds;
        if ((kinds & JsonKinds.Object) != 0)
        {
            parts.Add(ObjectBody(node, name));
        }

        if ((kinds & JsonKinds.Array) != 0)
        {
            parts.Add(ArrayBody(node));
        }

        if ((kinds & JsonKinds.String) != 0)
        {
            parts.Add(StringBody(node));
        }

        if ((kinds & JsonKinds.Number) != 0)
        {
            parts.Add("number");
        }
        else if ((kinds & JsonKinds.Integer) != 0)
        {
            parts.Add(IntegerBody(node));
        }

        if ((kinds & JsonKinds.Boolean) != 0)
        {
            parts.Add("boolean");
        }

        if ((kinds & JsonKinds.Null) != 0)
        {
            parts.Add("null");
        }

        // Alternatives of sequences need no parentheses: each part is a whole alternative of the rule body.
        var possible = parts.OfType<string>().ToList();
        return possible.Count == 0 ? null : string.Join(" | ", possible);
    }

    private string? Alternatives(IReadOnlyList<SchemaNode> alternatives)
    {
        var rules = alternatives.Select(Rule).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return rules.Count == 0 ? null : string.Join(" | ", rules);
    }

    private static void RequireDisjoint(SchemaNode node, IReadOnlyList<SchemaNode> oneOf)
    {
        for (var i = 0; i < oneOf.Count; i++)
        {
            for (var j = i + 1; j < oneOf.Count; j++)
            {
                if (!SchemaOverlap.AreDisjoint(oneOf[i], oneOf[j]))
                {
                    throw new UnsupportedSchemaException("oneOf", node.Pointer,
                        $"alternatives {i} and {j} may both match a value, which a grammar cannot rule out (use anyOf if that is acceptable)");
                }
            }
        }
    }

    private string? ObjectBody(SchemaNode node, string name)
    {
        if (!node.IsClosed)
        {
            if (node.AdditionalProperties is null)
            {
                return "object";
            }

            var value = Rule(node.AdditionalProperties);
            if (value is null)
            {
                return EmptyObject;
            }

            var member = $"""string ws ":" ws {value}""";
            return $"\"{{\" ws ( {member} ( ws \",\" ws {member} )* ws )? \"}}\"";
        }

        var members = new List<(string Rule, bool Required)>();
        foreach (var property in node.Properties)
        {
            var value = Rule(property.Schema);
            if (value is null)
            {
                if (property.Required)
                {
                    return null;
                }

                continue;
            }

            var member = _rules.Reserve($"{name}-{property.Name}-kv");
            _rules.Define(member, $"""{GbnfText.Literal(JsonText.Quote(property.Name))} ws ":" ws {value}""");
            members.Add((member, property.Required));
        }

        if (members.Count == 0)
        {
            return EmptyObject;
        }

        var firstRequired = members.FindIndex(member => member.Required);
        if (firstRequired >= 0)
        {
            // Optional members before the first required one carry their comma after them, the rest before them,
            // so every combination is spelled once and the grammar stays linear in the number of properties.
            var sequence = new List<string>();
            for (var i = 0; i < members.Count; i++)
            {
                var (member, required) = members[i];
                sequence.Add(i < firstRequired ? $"""( {member} ws "," ws )?"""
                    : i == firstRequired ? member
                    : required ? $"""ws "," ws {member}"""
                    : $"""( ws "," ws {member} )?""");
            }

            return $"\"{{\" ws {string.Join(' ', sequence)} ws \"}}\"";
        }

        // All optional: any member may come first, and each later one may follow it. rest-i holds "the members
        // from i on, each optional, each after a comma", so n members need n-1 such rules, not 2^n alternatives.
        // They are built from the last member backwards because each refers to the next.
        var alternatives = new List<string>();
        string? rest = null;
        for (var i = members.Count - 1; i >= 0; i--)
        {
            var member = members[i].Rule;
            alternatives.Add(rest is null ? member : $"{member} {rest}");
            if (i > 0)
            {
                var next = _rules.Reserve($"{name}-rest-{i}");
                _rules.Define(next, rest is null ? $"""( ws "," ws {member} )?""" : $"""( ws "," ws {member} )? {rest}""");
                rest = next;
            }
        }

        alternatives.Reverse();
        return $"\"{{\" ws ( ( {string.Join(" | ", alternatives)} ) ws )? \"}}\"";
    }

    private string? ArrayBody(SchemaNode node)
    {
        if (node.MinItems > node.MaxItems)
        {
            return null;
        }

        var item = node.Items is null ? "value" : Rule(node.Items);
        if (item is null || node.MaxItems == 0)
        {
            return node.MinItems == 0 ? EmptyArray : null;
        }

        if (item == "value" && node.MinItems == 0 && node.MaxItems is null)
        {
            return "array";
        }

        var more = GbnfText.Repeat($"""( ws "," ws {item} )""", Math.Max(node.MinItems - 1, 0), node.MaxItems - 1);
        var items = more.Length == 0 ? item : $"{item} {more}";
        return node.MinItems == 0
            ? $"\"[\" ws ( {items} ws )? \"]\""
            : $"\"[\" ws {items} ws \"]\"";
    }

    private static string? StringBody(SchemaNode node)
    {
        if (node.MinLength > node.MaxLength)
        {
            return null;
        }

        if (node.MinLength == 0 && node.MaxLength is null)
        {
            return "string";
        }

        var chars = GbnfText.Repeat("char", node.MinLength, node.MaxLength);
        return chars.Length == 0 ? $"{Quote} {Quote}" : $"{Quote} {chars} {Quote}";
    }

    private static string? IntegerBody(SchemaNode node)
    {
        if (node.Minimum is null && node.Maximum is null)
        {
            return "integer";
        }

        var patterns = IntegerRange.Patterns(node.Minimum, node.Maximum);
        return patterns.Count == 0 ? null : string.Join(" | ", patterns.Select(pattern => pattern.ToGbnf()));
    }

    /// <summary>A readable rule name for the schema at <paramref name="pointer"/>: <c>root-address-street</c>, <c>defs-node</c>.</summary>
    private static string Hint(string pointer)
    {
        if (pointer.Length == 0)
        {
            return "root";
        }

        var segments = pointer[1..].Split('/').Where(segment => segment != "properties").ToList();
        if (segments[0] is "$defs" or "definitions")
        {
            segments[0] = "defs";
            return string.Join('-', segments);
        }

        return "root-" + string.Join('-', segments);
    }

    private static bool IsName(string body) => body.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
