namespace ModelRunner.Engine.Grammar;

/// <summary>
/// Decides, conservatively, that two <c>oneOf</c> alternatives can never both match. A grammar can only say
/// "one of these shapes"; it cannot forbid a value that fits two of them. So oneOf is turned into a grammar only
/// when every value the grammar writes for one alternative fails all the others, which covers the usual uses:
/// alternatives of different types, disjoint enums or ranges, and objects told apart by a discriminator property.
/// </summary>
internal static class SchemaOverlap
{
    // Deep enough for any real discriminated union; past it the answer is "may overlap", which is safe.
    private const int MaxDepth = 24;

    /// <summary>True when no value matches both schemas as the grammar writes them.</summary>
    public static bool AreDisjoint(SchemaNode first, SchemaNode second) =>
        Excludes(first, second, 0) && Excludes(second, first, 0);

    /// <summary>
    /// True when no value the grammar writes for <paramref name="written"/> validates against <paramref name="other"/>.
    /// The grammar writes a subset of the values valid for a schema, and for objects with declared properties it
    /// writes no others (see <see cref="GrammarBuilder"/>).
    /// </summary>
    private static bool Excludes(SchemaNode written, SchemaNode other, int depth)
    {
        if (written.IsNever || other.IsNever)
        {
            return true;
        }

        if (depth > MaxDepth)
        {
            return false;
        }

        depth++;
        if (written.HasValues)
        {
            return GrammarBuilder.AllowedValues(written).All(value => SchemaInstanceValidator.Validate(other, value) is not null);
        }

        if (other.HasValues)
        {
            // Every written value is valid for `written`, so none can be one of other's values that `written` rejects.
            return other.CandidateValues.All(value => SchemaInstanceValidator.Validate(written, value) is not null
                || SchemaInstanceValidator.Validate(other, value) is not null);
        }

        if (written.Reference is { } writtenReference)
        {
            return Excludes(writtenReference.Target, other, depth);
        }

        if (other.Reference is { } otherReference)
        {
            return Excludes(written, otherReference.Target, depth);
        }

        if ((written.AnyOf ?? written.OneOf) is { } writtenAlternatives)
        {
            return writtenAlternatives.All(alternative => Excludes(alternative, other, depth));
        }

        if ((other.AnyOf ?? other.OneOf) is { } otherAlternatives)
        {
            // A value that fails every alternative fails anyOf and oneOf alike.
            return otherAlternatives.All(alternative => Excludes(written, alternative, depth));
        }

        foreach (var kind in new[] { JsonKinds.Null, JsonKinds.Boolean, JsonKinds.Object, JsonKinds.Array, JsonKinds.String, JsonKinds.Integer, JsonKinds.Number })
        {
            // A schema of type "number" writes integers too.
            var writes = (written.Kinds & kind) != 0 || (kind == JsonKinds.Integer && (written.Kinds & JsonKinds.Number) != 0);
            if (writes && SchemaInstanceValidator.Admits(other.Kinds, kind) && !KindExcludes(kind, written, other, depth))
            {
                return false;
            }
        }

        return true;
    }

    private static bool KindExcludes(JsonKinds kind, SchemaNode written, SchemaNode other, int depth) => kind switch
    {
        JsonKinds.String => Apart(written.MinLength, written.MaxLength, other.MinLength, other.MaxLength),
        JsonKinds.Integer => (written.Kinds & JsonKinds.Number) == 0 && (other.Kinds & JsonKinds.Number) == 0
            && (written.Maximum < other.Minimum || other.Maximum < written.Minimum),
        JsonKinds.Array => Apart(written.MinItems, written.MaxItems, other.MinItems, other.MaxItems)
            || (written.MinItems > 0 && Excludes(written.Items ?? Any, other.Items ?? Any, depth)),
        JsonKinds.Object => ObjectExcludes(written, other, depth),
        _ => false,
    };

    private static bool ObjectExcludes(SchemaNode written, SchemaNode other, int depth)
    {
        if (!written.IsClosed)
        {
            return false;
        }

        // A property the written object always has, whose value the other schema rejects or whose name it forbids.
        foreach (var property in written.Properties.Where(property => property.Required))
        {
            var counterpart = other.Properties.FirstOrDefault(candidate => candidate.Name == property.Name)?.Schema ?? other.AdditionalProperties;
            if (counterpart is not null && Excludes(property.Schema, counterpart, depth))
            {
                return true;
            }
        }

        // A property the other schema requires, which the written object never has.
        return other.Properties.Any(required => required.Required
            && written.Properties.FirstOrDefault(candidate => candidate.Name == required.Name) is null or { Schema.IsNever: true });
    }

    private static SchemaNode Any { get; } = new() { Pointer = "" };

    private static bool Apart(int firstMin, int? firstMax, int secondMin, int? secondMax) =>
        firstMax < secondMin || secondMax < firstMin;
}
