using System.Text.Json;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

public sealed class JsonGrammarUnsupportedTests
{
    public static TheoryData<string, string, string> UnsupportedKeywords { get; } = new()
    {
        { """{"type":"object","properties":{"name":{"type":"string","pattern":"^a"}}}""", "pattern", "/properties/name" },
        { """{"type":"string","format":"date-time"}""", "format", "" },
        { """{"type":"object","patternProperties":{"^x":{"type":"string"}}}""", "patternProperties", "" },
        { """{"type":"array","items":{"allOf":[{"type":"integer"},{"minimum":1}]}}""", "allOf", "/items" },
        { """{"not":{"type":"null"}}""", "not", "" },
        { """{"if":{"type":"string"},"then":{"minLength":1},"else":{"type":"null"}}""", "if", "" },
        { """{"then":{"minLength":1}}""", "then", "" },
        { """{"type":"object","properties":{"a":{},"b":{}},"dependentRequired":{"a":["b"]}}""", "dependentRequired", "" },
        { """{"type":"object","dependentSchemas":{"a":{"required":["b"]}}}""", "dependentSchemas", "" },
        { """{"type":"object","dependencies":{"a":["b"]}}""", "dependencies", "" },
        { """{"type":"array","uniqueItems":true}""", "uniqueItems", "" },
        { """{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":{"type":"string"}}""", "additionalProperties", "" },
        { """{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":true}""", "additionalProperties", "" },
        { """{"type":"object","required":["a"],"additionalProperties":{"type":"string"}}""", "additionalProperties", "" },
        { """{"type":"object","minProperties":1}""", "minProperties", "" },
        { """{"type":"object","maxProperties":3}""", "maxProperties", "" },
        { """{"type":"integer","multipleOf":5}""", "multipleOf", "" },
        { """{"type":"array","prefixItems":[{"type":"string"}]}""", "prefixItems", "" },
        { """{"type":"array","items":[{"type":"string"},{"type":"integer"}]}""", "items", "" },
        { """{"type":"array","additionalItems":false}""", "additionalItems", "" },
        { """{"type":"array","contains":{"type":"string"}}""", "contains", "" },
        { """{"type":"object","propertyNames":{"maxLength":3}}""", "propertyNames", "" },
        { """{"type":"object","unevaluatedProperties":false}""", "unevaluatedProperties", "" },
        { """{"type":"array","unevaluatedItems":false}""", "unevaluatedItems", "" },
        { """{"type":"string","contentMediaType":"application/json"}""", "contentMediaType", "" },
        { """{"type":"string","nullable":true}""", "nullable", "" },
        { """{"$anchor":"here","type":"string"}""", "$anchor", "" },
        { """{"$ref":"https://example.com/schema.json"}""", "$ref", "" },
        { """{"$ref":"other.json#/$defs/a"}""", "$ref", "" },
        { """{"$ref":"#here"}""", "$ref", "" },
        { """{"properties":{"a":{"$ref":"#/$defs/missing"}}}""", "$ref", "/properties/a" },
        { """{"$ref":"#"}""", "$ref", "" },
        { """{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"null"}]}},"$ref":"#/$defs/a"}""", "$ref", "/$defs/a" },
        { """{"$defs":{"x":{"type":"string","pattern":"x"}},"type":"array","items":{"$ref":"#/$defs/x"}}""", "pattern", "/$defs/x" },
        { """{"type":"number","minimum":0}""", "minimum", "" },
        { """{"maximum":10}""", "maximum", "" },
        { """{"type":["integer","number"],"exclusiveMaximum":10}""", "exclusiveMaximum", "" },
        { """{"type":"integer","exclusiveMinimum":true,"minimum":0}""", "exclusiveMinimum", "" },
        { """{"type":"integer","minimum":1e50}""", "minimum", "" },
        { """{"type":"date"}""", "type", "" },
        { """{"type":[]}""", "type", "" },
        { """{"type":"string","anyOf":[{"minLength":3},{"maxLength":1}]}""", "type", "" },
        { """{"$defs":{"a":{"type":"string"}},"$ref":"#/$defs/a","maxLength":3}""", "maxLength", "" },
        { """{"anyOf":[{"type":"string"}],"oneOf":[{"type":"string"}]}""", "oneOf", "" },
        { """{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "oneOf", "" },
        { """{"type":"array","items":{"oneOf":[{"type":"string"},{"type":"string","maxLength":2}]}}""", "oneOf", "/items" },
        { """{"type":"string","maxLength":10001}""", "maxLength", "" },
        { """{"type":"array","minItems":-1}""", "minItems", "" },
        { """{"type":"array","minItems":1.5}""", "minItems", "" },
        { """{"type":"array","maxItems":"2"}""", "maxItems", "" },
        { """{"type":"object","required":"a"}""", "required", "" },
        { """{"enum":"a"}""", "enum", "" },
        { """{"anyOf":[]}""", "anyOf", "" },
        { """{"$defs":[]}""", "$defs", "" },
        { """{"type":"object","properties":{"a":{},"a":{"type":"string"}}}""", "properties", "" },
        { """{"type":"string","type":"integer"}""", "type", "" },
        { """{"type":"object","properties":{"a/b~c":{"type":"string","pattern":"x"}}}""", "pattern", "/properties/a~1b~0c" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedKeywords))]
    public void FromSchema_UnsupportedKeyword_ThrowsNamingKeywordAndPath(string schema, string keyword, string path)
    {
        var exception = Assert.Throws<UnsupportedSchemaException>(() => JsonGrammar.FromSchema(JsonElement.Parse(schema)));

        Assert.Equal(keyword, exception.Keyword);
        Assert.Equal(path, exception.Path);
        Assert.StartsWith($"unsupported JSON Schema keyword \"{keyword}\" at {(path.Length == 0 ? "the root" : path)}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_PatternExample_MessageMatchesTheDocumentedForm()
    {
        var exception = Assert.Throws<UnsupportedSchemaException>(() =>
            JsonGrammar.FromSchema(JsonElement.Parse("""{"type":"object","properties":{"name":{"type":"string","pattern":"^[a-z]+$"}}}""")));

        Assert.Equal("unsupported JSON Schema keyword \"pattern\" at /properties/name", exception.Message);
    }

    [Theory]
    [InlineData("""{"properties":{"a":5}}""", "/properties/a")]
    [InlineData("""{"items":"string"}""", "/items")]
    [InlineData("[]", "")]
    [InlineData("null", "")]
    public void FromSchema_SchemaThatIsNotAnObjectOrBoolean_ThrowsNamingPath(string schema, string path)
    {
        var exception = Assert.Throws<UnsupportedSchemaException>(() => JsonGrammar.FromSchema(JsonElement.Parse(schema)));

        Assert.Null(exception.Keyword);
        Assert.Equal(path, exception.Path);
        Assert.Contains("must be an object or a boolean", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("""{"enum":[]}""")]
    [InlineData("""{"type":"string","enum":[1,2]}""")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":2}""")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""")]
    [InlineData("""{"type":"object","properties":{"a":false},"required":["a"]}""")]
    [InlineData("""{"type":"object","required":["a"],"additionalProperties":false}""")]
    [InlineData("""{"type":"array","items":false,"minItems":1}""")]
    [InlineData("""{"anyOf":[false,{"type":"string","minLength":2,"maxLength":1}]}""")]
    public void FromSchema_SchemaNoValueSatisfies_Throws(string schema)
    {
        var exception = Assert.Throws<UnsupportedSchemaException>(() => JsonGrammar.FromSchema(JsonElement.Parse(schema)));

        Assert.Contains("no JSON value satisfies", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_UnsupportedKeywordInUnreferencedDefinition_IsNeverRead()
    {
        var grammar = JsonGrammar.FromSchema(JsonElement.Parse("""{"$defs":{"unused":{"type":"string","pattern":"x"}},"type":"boolean"}"""));

        Assert.StartsWith("root ::= boolean", grammar, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_AnnotationKeywords_AreIgnored()
    {
        var annotated = JsonGrammar.FromSchema(JsonElement.Parse(
            """{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:x","$comment":"c","title":"T","description":"D","examples":[1],"default":1,"deprecated":true,"readOnly":false,"writeOnly":false,"type":"integer"}"""));

        Assert.Equal(JsonGrammar.FromSchema(JsonElement.Parse("""{"type":"integer"}""")), annotated);
    }

    [Fact]
    public void FromSchema_DefaultJsonElement_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => JsonGrammar.FromSchema(default));
    }

    [Fact]
    public void IsValid_UnsupportedKeyword_ThrowsTheSameException()
    {
        var exception = Assert.Throws<UnsupportedSchemaException>(() =>
            JsonSchemaValidator.IsValid(JsonElement.Parse("\"x\""), JsonElement.Parse("""{"type":"string","format":"email"}"""), out _));

        Assert.Equal("format", exception.Keyword);
    }
}
