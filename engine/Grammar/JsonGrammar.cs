using System.Text.Json;

namespace ModelRunner.Engine.Grammar;

/// <summary>
/// GBNF grammars for llama.cpp's grammar sampler that force a model to write JSON: any JSON object (OpenAI's
/// <c>response_format: {"type": "json_object"}</c>, Ollama's <c>format: "json"</c>), or JSON that validates
/// against a JSON Schema (OpenAI's <c>json_schema</c>, Ollama's <c>format: {schema}</c>). The root rule is
/// <c>root</c>. Between tokens the grammars allow at most one newline and 20 spaces or tabs, so a model cannot
/// stall on whitespace; there is no leading or trailing whitespace.
/// </summary>
public static class JsonGrammar
{
    /// <summary>A grammar whose root is any JSON object, nested values of every kind included.</summary>
    public static string AnyJsonObject { get; } = GrammarBuilder.AnyObject();

    /// <summary>
    /// Converts a JSON Schema into a grammar whose every sentence is JSON valid against it.
    /// </summary>
    /// <remarks>
    /// <para>Supported keywords: <c>type</c> (one name or an array), <c>properties</c>, <c>required</c>,
    /// <c>additionalProperties</c> (<c>false</c> or absent when properties are declared; any schema when none are),
    /// <c>items</c> (one schema), <c>minItems</c>, <c>maxItems</c>, <c>minLength</c>, <c>maxLength</c>,
    /// <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c> (integer schemas only),
    /// <c>enum</c>, <c>const</c>, <c>anyOf</c>, <c>oneOf</c> (when its alternatives provably cannot overlap),
    /// <c>allOf</c> with one schema, local <c>$ref</c>s (<c>#</c>, <c>#/$defs/...</c>, <c>#/definitions/...</c>,
    /// recursion included), <c>$defs</c>/<c>definitions</c>, <c>uniqueItems: false</c>, and the boolean schemas.
    /// <c>$ref</c>, <c>anyOf</c>, <c>oneOf</c> and <c>allOf</c> take no constraint siblings unless <c>enum</c> or
    /// <c>const</c> is present. Annotations (<c>title</c>, <c>description</c>, <c>examples</c>, <c>default</c>,
    /// <c>$schema</c>, <c>$id</c>, <c>$comment</c>, <c>deprecated</c>, <c>readOnly</c>, <c>writeOnly</c>) are
    /// ignored; any other keyword is rejected.</para>
    /// <para>Objects with declared properties are written with exactly those, in schema order (required ones always);
    /// an object schema without properties or <c>additionalProperties</c> admits any object. As JSON Schema says,
    /// a schema without <c>type</c> admits every type its keywords allow. Counts above 10000 are rejected, because
    /// llama.cpp expands a bounded repetition into that many rules.</para>
    /// </remarks>
    /// <param name="schema">The schema: a JSON object or a boolean.</param>
    /// <returns>The GBNF text, one rule per line, <c>root</c> first.</returns>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is a default (undefined) element.</exception>
    /// <exception cref="UnsupportedSchemaException">
    /// The schema uses a keyword or combination outside the supported subset, is malformed, or admits no value.
    /// </exception>
    public static string FromSchema(JsonElement schema) => GrammarBuilder.Build(SchemaCompiler.Compile(schema));
}
