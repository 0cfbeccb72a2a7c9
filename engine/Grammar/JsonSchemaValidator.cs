using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// Validates JSON against a JSON Schema, for the same keyword subset <see cref="JsonGrammar.FromSchema"/>
/// supports, with JSON Schema's semantics (so it can double-check what a grammar-constrained model wrote).
/// </summary>
public static class JsonSchemaValidator
{
    /// <summary>Checks <paramref name="instance"/> against <paramref name="schema"/>.</summary>
    /// <param name="instance">The JSON value to check.</param>
    /// <param name="schema">A JSON Schema: an object or a boolean.</param>
    /// <param name="error">Null when valid; otherwise the first problem found, prefixed with the instance's JSON Pointer, e.g. <c>/age: expected integer, got string</c>.</param>
    /// <returns>True when the instance is valid.</returns>
    /// <exception cref="ArgumentException"><paramref name="instance"/> or <paramref name="schema"/> is a default (undefined) element.</exception>
    /// <exception cref="UnsupportedSchemaException">The schema is malformed or uses a keyword outside the supported subset.</exception>
    public static bool IsValid(JsonElement instance, JsonElement schema, out string? error)
    {
        if (instance.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("the instance is an undefined JsonElement", nameof(instance));
        }

        error = SchemaInstanceValidator.Validate(SchemaCompiler.Compile(schema), instance);
        return error is null;
    }
}
