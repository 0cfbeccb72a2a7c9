using System.Numerics;
using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// Checks a JSON Schema against the supported subset and turns it into <see cref="SchemaNode"/>s. Every keyword
/// is either understood, an annotation that constrains nothing, or rejected with
/// <see cref="UnsupportedSchemaException"/>; none is skipped. Only schemas reachable from the root are read, so
/// unused <c>$defs</c> may hold anything.
/// </summary>
internal sealed class SchemaCompiler
{
    /// <summary>
    /// The most repetitions a count keyword may ask for. llama.cpp expands <c>x{0,n}</c> into n nested rules
    /// when it parses a grammar, so a huge bound would cost memory and time on every request.
    /// </summary>
    public const int MaxCount = 10_000;

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "examples", "default", "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly",
    };

    private static readonly HashSet<string> BoundKeywords = new(StringComparer.Ordinal)
    {
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    };

    private static readonly string[] Combinators = ["$ref", "allOf", "anyOf", "oneOf"];

    private readonly JsonElement _root;
    private readonly Dictionary<string, SchemaNode> _nodes = new(StringComparer.Ordinal);
    private readonly Queue<(SchemaReference Reference, JsonElement Target)> _pending = new();

    private SchemaCompiler(JsonElement root) => _root = root;

    /// <exception cref="ArgumentException"><paramref name="schema"/> is a default (undefined) element.</exception>
    /// <exception cref="UnsupportedSchemaException">The schema is malformed or outside the supported subset.</exception>
    public static SchemaNode Compile(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("the schema is an undefined JsonElement", nameof(schema));
        }

        var compiler = new SchemaCompiler(schema);
        var root = compiler.Compile(schema, "");
        while (compiler._pending.TryDequeue(out var pending))
        {
            var pointer = pending.Reference.TargetPointer;
            pending.Reference.Target = compiler._nodes.TryGetValue(pointer, out var known) ? known : compiler.Compile(pending.Target, pointer);
        }

        compiler.RejectUnguardedCycles();
        return root;
    }

    private SchemaNode Compile(JsonElement schema, string pointer)
    {
        if (_nodes.TryGetValue(pointer, out var known))
        {
            return known;
        }

        var node = schema.ValueKind switch
        {
            JsonValueKind.True => new SchemaNode { Pointer = pointer },
            JsonValueKind.False => new SchemaNode { Pointer = pointer, IsNever = true },
            JsonValueKind.Object => CompileObject(schema, pointer),
            _ => throw new UnsupportedSchemaException(null, pointer, "a schema must be an object or a boolean"),
        };
        _nodes[pointer] = node;
        return node;
    }

    private SchemaNode CompileObject(JsonElement schema, string pointer)
    {
        var constraints = new List<string>();
        JsonKinds? kinds = null;
        JsonElement? constValue = null;
        List<JsonElement>? enumValues = null;
        List<SchemaProperty>? properties = null;
        List<string>? required = null;
        SchemaNode? additional = null;
        SchemaNode? items = null;
        int minItems = 0, minLength = 0;
        int? maxItems = null, maxLength = null;
        BigInteger? minimum = null, maximum = null;
        List<SchemaNode>? anyOf = null, oneOf = null;
        SchemaReference? reference = null;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in schema.EnumerateObject())
        {
            var keyword = property.Name;
            var value = property.Value;
            // JsonElement keeps repeated keys; which one a reader honours is undefined, so refuse to guess.
            Expect(seen.Add(keyword), keyword, pointer, "the keyword appears twice");
            if (Annotations.Contains(keyword))
            {
                continue;
            }

            switch (keyword)
            {
                case "$defs" or "definitions":
                    // A container for $ref targets: its schemas constrain nothing until referenced.
                    Expect(value.ValueKind == JsonValueKind.Object, keyword, pointer, "must be an object of schemas");
                    continue;
                case "uniqueItems" when value.ValueKind == JsonValueKind.False:
                    // false is the default and constrains nothing.
                    continue;
                case "type":
                    kinds = ReadKinds(value, pointer);
                    break;
                case "const":
                    constValue = value;
                    break;
                case "enum":
                    Expect(value.ValueKind == JsonValueKind.Array, keyword, pointer, "must be an array");
                    enumValues = [.. value.EnumerateArray()];
                    break;
                case "properties":
                    Expect(value.ValueKind == JsonValueKind.Object, keyword, pointer, "must be an object of schemas");
                    properties = [];
                    foreach (var declared in value.EnumerateObject())
                    {
                        var at = JsonPointer.Append(JsonPointer.Append(pointer, keyword), declared.Name);
                        properties.Add(new SchemaProperty(declared.Name, Compile(declared.Value, at), Required: false));
                    }

                    break;
                case "required":
                    Expect(value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(name => name.ValueKind == JsonValueKind.String),
                        keyword, pointer, "must be an array of strings");
                    required = [.. value.EnumerateArray().Select(name => name.GetString()!)];
                    break;
                case "additionalProperties":
                    additional = Compile(value, JsonPointer.Append(pointer, keyword));
                    break;
                case "items":
                    Expect(value.ValueKind != JsonValueKind.Array, keyword, pointer, "the tuple form (an array of schemas) is not supported");
                    items = Compile(value, JsonPointer.Append(pointer, keyword));
                    break;
                case "minItems":
                    minItems = ReadCount(value, keyword, pointer);
                    break;
                case "maxItems":
                    maxItems = ReadCount(value, keyword, pointer);
                    break;
                case "minLength":
                    minLength = ReadCount(value, keyword, pointer);
                    break;
                case "maxLength":
                    maxLength = ReadCount(value, keyword, pointer);
                    break;
                case "minimum" or "exclusiveMinimum":
                    var lower = ReadBound(value, keyword, pointer, exclusive: keyword == "exclusiveMinimum", upper: false);
                    minimum = minimum is { } currentLower ? BigInteger.Max(currentLower, lower) : lower;
                    break;
                case "maximum" or "exclusiveMaximum":
                    var upper = ReadBound(value, keyword, pointer, exclusive: keyword == "exclusiveMaximum", upper: true);
                    maximum = maximum is { } currentUpper ? BigInteger.Min(currentUpper, upper) : upper;
                    break;
                case "anyOf":
                    anyOf = ReadAlternatives(value, keyword, pointer);
                    break;
                case "oneOf":
                    oneOf = ReadAlternatives(value, keyword, pointer);
                    break;
                case "allOf":
                    // allOf with one schema means exactly that schema (older generators wrap $refs this way);
                    // more would need the intersection of schemas, which a grammar cannot build in general.
                    Expect(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1,
                        keyword, pointer, "only an allOf of exactly one schema is supported");
                    var only = JsonPointer.Append(JsonPointer.Append(pointer, keyword), 0);
                    reference = new SchemaReference(keyword, only) { Target = Compile(value[0], only) };
                    break;
                case "$ref":
                    reference = ReadReference(value, pointer);
                    break;
                default:
                    throw new UnsupportedSchemaException(keyword, pointer);
            }

            constraints.Add(keyword);
        }

        CheckCombinators(constraints, pointer, hasValues: constValue is not null || enumValues is not null);
        CheckBounds(constraints, kinds, pointer);
        CheckDuplicates(properties, pointer);
        var merged = MergeRequired(properties ?? [], required ?? [], additional, pointer);
        return new SchemaNode
        {
            Pointer = pointer,
            Kinds = kinds ?? JsonKinds.All,
            Const = constValue,
            Enum = enumValues,
            Properties = merged,
            IsClosed = merged.Count > 0 || (properties is not null && additional is null or { IsNever: true }),
            AdditionalProperties = additional,
            Items = items,
            MinItems = minItems,
            MaxItems = maxItems,
            MinLength = minLength,
            MaxLength = maxLength,
            Minimum = minimum,
            Maximum = maximum,
            AnyOf = anyOf,
            OneOf = oneOf,
            Reference = reference,
        };
    }

    /// <summary>
    /// Marks required properties and appends those that only <c>required</c> names. The grammar writes the
    /// declared properties and nothing else, so it cannot also write extra ones an
    /// <c>additionalProperties</c> schema would allow: that combination is rejected.
    /// </summary>
    private static List<SchemaProperty> MergeRequired(List<SchemaProperty> properties, List<string> required, SchemaNode? additional, string pointer)
    {
        var requiredNames = new HashSet<string>(required, StringComparer.Ordinal);
        var merged = properties.Select(property => property with { Required = requiredNames.Contains(property.Name) }).ToList();
        var requiredPointer = JsonPointer.Append(pointer, "required");
        foreach (var name in required.Distinct(StringComparer.Ordinal).Where(name => !properties.Exists(property => property.Name == name)))
        {
            // JSON Schema validates such a property against additionalProperties (any value when absent).
            merged.Add(new SchemaProperty(name, additional ?? new SchemaNode { Pointer = JsonPointer.Append(requiredPointer, name) }, Required: true));
        }

        if (merged.Count > 0 && additional is { IsNever: false })
        {
            throw new UnsupportedSchemaException("additionalProperties", pointer,
                "extra properties beside declared ones are not supported; set it to false or leave it out");
        }

        return merged;
    }

    private static void CheckDuplicates(List<SchemaProperty>? properties, string pointer)
    {
        // JsonElement keeps duplicate keys; a grammar writing the name twice would make invalid-looking JSON.
        var duplicate = properties?.GroupBy(property => property.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new UnsupportedSchemaException("properties", pointer, $"the property \"{duplicate.Key}\" is declared twice");
        }
    }

    private static void CheckCombinators(List<string> constraints, string pointer, bool hasValues)
    {
        // With enum or const the valid values are listed outright and the grammar keeps those that satisfy
        // every other keyword, so any combination works. Without them, a grammar for "A and B" is out of reach.
        if (hasValues)
        {
            return;
        }

        var combinator = constraints.FirstOrDefault(keyword => Combinators.Contains(keyword));
        if (combinator is null)
        {
            return;
        }

        var sibling = constraints.FirstOrDefault(keyword => keyword != combinator);
        if (sibling is not null)
        {
            throw new UnsupportedSchemaException(sibling, pointer, $"constraints beside \"{combinator}\" are not supported");
        }
    }

    private static void CheckBounds(List<string> constraints, JsonKinds? kinds, string pointer)
    {
        var bound = constraints.FirstOrDefault(BoundKeywords.Contains);
        var numbers = kinds ?? JsonKinds.All;
        if (bound is not null && (numbers & JsonKinds.Number) != 0)
        {
            // A grammar can pin an integer range digit by digit; for fractions and exponents it cannot do so exactly.
            throw new UnsupportedSchemaException(bound, pointer, "numeric bounds are supported only with \"type\": \"integer\" (not \"number\")");
        }
    }

    private static JsonKinds ReadKinds(JsonElement value, string pointer)
    {
        List<JsonElement> names = value.ValueKind switch
        {
            JsonValueKind.String => [value],
            JsonValueKind.Array => [.. value.EnumerateArray()],
            _ => [],
        };
        Expect(names.Count > 0 && names.TrueForAll(name => name.ValueKind == JsonValueKind.String),
            "type", pointer, "must be a type name or a non-empty array of them");
        var kinds = JsonKinds.None;
        foreach (var name in names)
        {
            kinds |= name.GetString() switch
            {
                "null" => JsonKinds.Null,
                "boolean" => JsonKinds.Boolean,
                "object" => JsonKinds.Object,
                "array" => JsonKinds.Array,
                "string" => JsonKinds.String,
                "integer" => JsonKinds.Integer,
                "number" => JsonKinds.Number,
                var other => throw new UnsupportedSchemaException("type", pointer, $"unknown type \"{other}\""),
            };
        }

        return kinds;
    }

    private static int ReadCount(JsonElement value, string keyword, string pointer)
    {
        Expect(value.ValueKind == JsonValueKind.Number, keyword, pointer, "must be a non-negative integer");
        var number = JsonNumber.Parse(value.GetRawText());
        Expect(number.IsInteger && !number.Negative, keyword, pointer, "must be a non-negative integer");
        Expect(number.CompareInteger(MaxCount) <= 0, keyword, pointer, $"counts above {MaxCount} are not supported");
        return (int)number.Floor();
    }

    private static BigInteger ReadBound(JsonElement value, string keyword, string pointer, bool exclusive, bool upper)
    {
        Expect(value.ValueKind == JsonValueKind.Number, keyword, pointer, "must be a number");
        var number = JsonNumber.Parse(value.GetRawText());
        Expect(number.IsZero || number.Digits.Length + number.Exponent <= JsonNumber.MaxBoundDigits,
            keyword, pointer, $"bounds beyond {JsonNumber.MaxBoundDigits} digits are not supported");

        // Integers only: x >= 2.5 means x >= 3, x > 2 means x >= 3, and so on.
        return (upper, exclusive) switch
        {
            (false, false) => number.Ceiling(),
            (false, true) => number.Floor() + 1,
            (true, false) => number.Floor(),
            (true, true) => number.Ceiling() - 1,
        };
    }

    private List<SchemaNode> ReadAlternatives(JsonElement value, string keyword, string pointer)
    {
        Expect(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0, keyword, pointer, "must be a non-empty array of schemas");
        var at = JsonPointer.Append(pointer, keyword);
        return [.. value.EnumerateArray().Select((alternative, index) => Compile(alternative, JsonPointer.Append(at, index)))];
    }

    private SchemaReference ReadReference(JsonElement value, string pointer)
    {
        Expect(value.ValueKind == JsonValueKind.String, "$ref", pointer, "must be a string");
        var text = value.GetString()!;
        Expect(text.StartsWith('#'), "$ref", pointer, $"only local references (\"#/$defs/...\") are supported, not \"{text}\"");
        Expect(JsonPointer.TryResolve(_root, text, out var target, out var schema), "$ref", pointer, $"\"{text}\" points at nothing in this schema");
        var reference = new SchemaReference("$ref", target);
        _pending.Enqueue((reference, schema));
        return reference;
    }

    /// <summary>
    /// Rejects <c>$ref</c> cycles that never pass through an object or array, such as <c>{"$ref": "#"}</c>:
    /// validating one would never end and their grammar rule would be left-recursive.
    /// </summary>
    private void RejectUnguardedCycles()
    {
        var finished = new HashSet<SchemaNode>(ReferenceEqualityComparer.Instance);
        var path = new List<SchemaNode>();
        foreach (var node in _nodes.Values)
        {
            Visit(node);
        }

        void Visit(SchemaNode node)
        {
            if (finished.Contains(node))
            {
                return;
            }

            var start = path.IndexOf(node);
            if (start >= 0)
            {
                // Every such cycle has a $ref in it: anyOf, oneOf and allOf alone only lead to subschemas.
                var cycle = path[start..];
                var culprit = cycle.First(member => member.Reference is { Keyword: "$ref" });
                var route = string.Join(" -> ", cycle.Append(node));
                throw new UnsupportedSchemaException("$ref", culprit.Pointer, $"the references {route} loop without passing through an object or array");
            }

            path.Add(node);
            foreach (var child in (node.AnyOf ?? []).Concat(node.OneOf ?? []))
            {
                Visit(child);
            }

            if (node.Reference is { } reference)
            {
                Visit(reference.Target);
            }

            path.RemoveAt(path.Count - 1);
            finished.Add(node);
        }
    }

    private static void Expect(bool condition, string keyword, string pointer, string reason)
    {
        if (!condition)
        {
            throw new UnsupportedSchemaException(keyword, pointer, reason);
        }
    }
}
