using System.Numerics;
using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// One schema object of the supported subset after <see cref="SchemaCompiler"/> has checked it. Both the
/// grammar builder and the validator read these, so they agree on exactly what every keyword means.
/// Keywords combine as JSON Schema says: an instance must satisfy all of them.
/// </summary>
internal sealed class SchemaNode
{
    /// <summary>The JSON Pointer of this schema object in the whole schema (for messages and rule names).</summary>
    public required string Pointer { get; init; }

    /// <summary>The <c>false</c> schema: no value is valid.</summary>
    public bool IsNever { get; init; }

    /// <summary>The types <c>type</c> admits; <see cref="JsonKinds.All"/> when absent.</summary>
    public JsonKinds Kinds { get; init; } = JsonKinds.All;

    /// <summary>The <c>const</c> value, when present.</summary>
    public JsonElement? Const { get; init; }

    /// <summary>The <c>enum</c> values, when present.</summary>
    public IReadOnlyList<JsonElement>? Enum { get; init; }

    /// <summary>
    /// <c>properties</c> in schema order, followed by names that only <c>required</c> lists (those take the
    /// <c>additionalProperties</c> schema, or any value when it is absent, as JSON Schema says).
    /// </summary>
    public IReadOnlyList<SchemaProperty> Properties { get; init; } = [];

    /// <summary>The <c>additionalProperties</c> schema; null when absent (extra properties are then valid).</summary>
    public SchemaNode? AdditionalProperties { get; init; }

    /// <summary>The <c>items</c> schema; null when absent (any items).</summary>
    public SchemaNode? Items { get; init; }

    public int MinItems { get; init; }

    public int? MaxItems { get; init; }

    /// <summary>Minimum string length in Unicode code points.</summary>
    public int MinLength { get; init; }

    /// <summary>Maximum string length in Unicode code points.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The smallest integer allowed (from <c>minimum</c> and <c>exclusiveMinimum</c>); only on integer-only schemas.</summary>
    public BigInteger? Minimum { get; init; }

    /// <summary>The largest integer allowed (from <c>maximum</c> and <c>exclusiveMaximum</c>); only on integer-only schemas.</summary>
    public BigInteger? Maximum { get; init; }

    public IReadOnlyList<SchemaNode>? AnyOf { get; init; }

    public IReadOnlyList<SchemaNode>? OneOf { get; init; }

    /// <summary>A <c>$ref</c>, or a one-schema <c>allOf</c>, which means the same.</summary>
    public SchemaReference? Reference { get; init; }

    /// <summary>True when an enum or const lists the valid values outright.</summary>
    public bool HasValues => Const is not null || Enum is not null;

    /// <summary>The schema constrains nothing (<c>true</c>, <c>{}</c>, or annotations only).</summary>
    public bool IsAny =>
        !IsNever && Kinds == JsonKinds.All && !HasValues && Reference is null && AnyOf is null && OneOf is null
        && !IsClosed && AdditionalProperties is null && Items is null
        && MinItems == 0 && MaxItems is null && MinLength == 0 && MaxLength is null && Minimum is null && Maximum is null;

    /// <summary>
    /// The grammar writes exactly the declared properties and no others: the schema declares properties (with
    /// <c>properties</c>, even an empty one, or <c>required</c>) and <c>additionalProperties</c> is absent or false.
    /// Otherwise objects are free-form, with values of the <c>additionalProperties</c> schema (any when absent).
    /// </summary>
    public bool IsClosed { get; init; }

    /// <summary>The enum/const candidates before the other keywords filter them.</summary>
    public IReadOnlyList<JsonElement> CandidateValues => Const is { } single ? [single] : Enum ?? [];

    public override string ToString() => Pointer.Length == 0 ? "#" : "#" + Pointer;
}
