using System.Globalization;
using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// Validates JSON instances against compiled schemas with JSON Schema's own semantics: absent
/// <c>additionalProperties</c> allows extra properties, <c>1.0</c> is an integer, <c>oneOf</c> means exactly one.
/// (The grammar writes a subset of the valid instances; see <see cref="GrammarBuilder"/>.)
/// </summary>
internal static class SchemaInstanceValidator
{
    /// <summary>Null when <paramref name="instance"/> is valid; otherwise the first problem, prefixed with its JSON Pointer.</summary>
    /// <param name="node">The schema.</param>
    /// <param name="instance">The value.</param>
    /// <param name="path">The instance's JSON Pointer, for messages.</param>
    /// <param name="knownEnumMember">The caller took the value from this node's own enum, so membership need not be searched for.</param>
    public static string? Validate(SchemaNode node, JsonElement instance, string path = "", bool knownEnumMember = false)
    {
        if (node.IsNever)
        {
            return Error(path, "no value is allowed here (the schema is false)");
        }

        if (node.Reference is { } reference && Validate(reference.Target, instance, path) is { } referenceError)
        {
            return referenceError;
        }

        var kind = KindOf(instance);
        if (!Admits(node.Kinds, kind))
        {
            return Error(path, $"expected {Describe(node.Kinds)}, got {Describe(kind)}");
        }

        if (node.Const is { } constant && !JsonElement.DeepEquals(constant, instance))
        {
            return Error(path, $"expected the constant {JsonText.Canonical(constant)}");
        }

        if (node.Enum is { } values && !knownEnumMember && !values.Any(value => JsonElement.DeepEquals(value, instance)))
        {
            return Error(path, $"{JsonText.Canonical(instance)} is not one of the enum values");
        }

        var error = kind switch
        {
            JsonKinds.Object => ValidateObject(node, instance, path),
            JsonKinds.Array => ValidateArray(node, instance, path),
            JsonKinds.String => ValidateString(node, instance, path),
            JsonKinds.Integer => ValidateInteger(node, instance, path),
            _ => null,
        };
        if (error is not null)
        {
            return error;
        }

        if (node.AnyOf is { } anyOf && !anyOf.Any(alternative => Validate(alternative, instance, path) is null))
        {
            return Error(path, "matches none of the anyOf alternatives");
        }

        if (node.OneOf is { } oneOf)
        {
            var matches = oneOf.Count(alternative => Validate(alternative, instance, path) is null);
            if (matches != 1)
            {
                return Error(path, $"matches {matches} of the oneOf alternatives instead of exactly one");
            }
        }

        return null;
    }

    /// <summary>The instance's type; numbers with a zero fraction count as <see cref="JsonKinds.Integer"/>.</summary>
    public static JsonKinds KindOf(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Null => JsonKinds.Null,
        JsonValueKind.True or JsonValueKind.False => JsonKinds.Boolean,
        JsonValueKind.Object => JsonKinds.Object,
        JsonValueKind.Array => JsonKinds.Array,
        JsonValueKind.String => JsonKinds.String,
        JsonValueKind.Number => JsonNumber.Parse(instance.GetRawText()).IsInteger ? JsonKinds.Integer : JsonKinds.Number,
        _ => throw new ArgumentException($"{instance.ValueKind} is not a JSON value", nameof(instance)),
    };

    /// <summary>True when a schema of <paramref name="kinds"/> admits an instance of <paramref name="kind"/> (as <see cref="KindOf"/> gives it).</summary>
    public static bool Admits(JsonKinds kinds, JsonKinds kind) =>
        (kinds & kind) != 0 || (kind == JsonKinds.Integer && (kinds & JsonKinds.Number) != 0);

    private static string? ValidateObject(SchemaNode node, JsonElement instance, string path)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in instance.EnumerateObject())
        {
            present.Add(property.Name);
            var at = JsonPointer.Append(path, property.Name);
            var declared = node.Properties.FirstOrDefault(candidate => candidate.Name == property.Name);
            if (declared is not null)
            {
                if (Validate(declared.Schema, property.Value, at) is { } error)
                {
                    return error;
                }
            }
            else if (node.AdditionalProperties is { } additional && Validate(additional, property.Value, at) is { } extraError)
            {
                return additional.IsNever ? Error(path, $"property \"{property.Name}\" is not allowed") : extraError;
            }
        }

        var missing = node.Properties.FirstOrDefault(property => property.Required && !present.Contains(property.Name));
        return missing is null ? null : Error(path, $"required property \"{missing.Name}\" is missing");
    }

    private static string? ValidateArray(SchemaNode node, JsonElement instance, string path)
    {
        var count = instance.GetArrayLength();
        if (count < node.MinItems)
        {
            return Error(path, $"has {count} items, fewer than minItems {node.MinItems}");
        }

        if (count > node.MaxItems)
        {
            return Error(path, $"has {count} items, more than maxItems {node.MaxItems}");
        }

        if (node.Items is { } items)
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                if (Validate(items, item, JsonPointer.Append(path, index++)) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static string? ValidateString(SchemaNode node, JsonElement instance, string path)
    {
        var length = JsonText.CodePointLength(JsonText.DecodeString(instance));
        return length < node.MinLength ? Error(path, $"is {length} characters long, shorter than minLength {node.MinLength}")
            : length > node.MaxLength ? Error(path, $"is {length} characters long, longer than maxLength {node.MaxLength}")
            : null;
    }

    private static string? ValidateInteger(SchemaNode node, JsonElement instance, string path)
    {
        // Bounds exist only on integer-only schemas (the compiler rejects them beside "number").
        var number = JsonNumber.Parse(instance.GetRawText());
        return node.Minimum is { } minimum && number.CompareInteger(minimum) < 0 ? Error(path, $"{instance.GetRawText()} is less than the minimum {minimum}")
            : node.Maximum is { } maximum && number.CompareInteger(maximum) > 0 ? Error(path, $"{instance.GetRawText()} is greater than the maximum {maximum}")
            : null;
    }

    private static string Describe(JsonKinds kinds) => kinds == JsonKinds.All ? "any value" :
        string.Join(" or ", Enum.GetValues<JsonKinds>()
            .Where(kind => kind is not JsonKinds.None and not JsonKinds.All && (kinds & kind) != 0)
            .Select(kind => kind.ToString().ToLower(CultureInfo.InvariantCulture)));

    private static string Error(string path, string message) => $"{(path.Length == 0 ? "(root)" : path)}: {message}";
}
