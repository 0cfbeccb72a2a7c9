using System.Text.Json;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>A grammar cannot forbid a value that fits two alternatives, so oneOf is accepted only when none can.</summary>
public sealed class JsonGrammarOneOfTests
{
    [Theory]
    [InlineData("""[{"type":"string"},{"type":"integer"},{"type":"null"}]""")]
    [InlineData("""[{"type":"object"},{"type":"array"},{"type":"boolean"}]""")]
    [InlineData("""[{"type":"string","maxLength":3},{"type":"string","minLength":4}]""")]
    [InlineData("""[{"type":"integer","maximum":9},{"type":"integer","minimum":10}]""")]
    [InlineData("""[{"type":"integer","exclusiveMaximum":0},{"type":"integer","minimum":0}]""")]
    [InlineData("""[{"enum":["a","b"]},{"enum":["c",1]}]""")]
    [InlineData("""[{"const":"a"},{"type":"integer"}]""")]
    [InlineData("""[{"type":"integer"},{"enum":["a",1.5]}]""")]
    [InlineData("""[{"type":"object","properties":{"kind":{"const":"a"}},"required":["kind"]},{"type":"object","properties":{"kind":{"const":"b"}},"required":["kind"]}]""")]
    [InlineData("""[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},{"type":"object","properties":{"b":{"type":"string"}},"required":["b"],"additionalProperties":false}]""")]
    [InlineData("""[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}]""")]
    // Each grammar writes only its declared property, which the other requires: no written value fits both.
    [InlineData("""[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}]""")]
    [InlineData("""[{"type":"array","items":{"type":"string"},"minItems":1},{"type":"array","items":{"type":"integer"},"minItems":1}]""")]
    [InlineData("""[{"type":"array","maxItems":1},{"type":"array","minItems":2}]""")]
    [InlineData("""[{"$ref":"#/$defs/s"},{"$ref":"#/$defs/n"}]""")]
    [InlineData("""[{"anyOf":[{"type":"string"},{"type":"boolean"}]},{"type":"null"}]""")]
    public void FromSchema_OneOfWithDisjointAlternatives_BuildsGrammar(string alternatives)
    {
        var schema = Schema(alternatives);

        var grammar = JsonGrammar.FromSchema(schema);

        Assert.StartsWith("root ::= ", grammar, StringComparison.Ordinal);
        Assert.Empty(GbnfRules.Undefined(grammar));
    }

    [Theory]
    [InlineData("""[{"type":"integer"},{"type":"number"}]""")]
    [InlineData("""[{"type":"number"},{"type":"integer","minimum":3}]""")]
    [InlineData("""[{"type":"string"},{"type":"string","maxLength":3}]""")]
    [InlineData("""[{"type":"integer","maximum":10},{"type":"integer","minimum":10}]""")]
    [InlineData("""[{"enum":["a","b"]},{"enum":["b","c"]}]""")]
    [InlineData("""[{"enum":["a"]},{"type":"string"}]""")]
    [InlineData("""[{"type":"object","properties":{"kind":{"const":"a"}},"required":["kind"]},{"type":"object","properties":{"kind":{"const":"a"},"x":{}},"required":["kind"]}]""")]
    [InlineData("""[{"type":"object","properties":{"a":{"type":"string"}}},{"type":"object","properties":{"b":{"type":"string"}}}]""")]
    [InlineData("""[{"type":"object"},{"type":"object","properties":{"a":{}}}]""")]
    [InlineData("""[{"type":"array"},{"type":"array","items":{"type":"integer"}}]""")]
    [InlineData("""[{},{"type":"null"}]""")]
    [InlineData("""[{"$ref":"#/$defs/n"},{"type":"integer"}]""")]
    public void FromSchema_OneOfWithOverlappingAlternatives_ThrowsForOneOf(string alternatives)
    {
        var schema = Schema(alternatives);

        var exception = Assert.Throws<UnsupportedSchemaException>(() => JsonGrammar.FromSchema(schema));

        Assert.Equal("oneOf", exception.Keyword);
        Assert.Contains("may both match", exception.Message, StringComparison.Ordinal);
    }

    private static JsonElement Schema(string alternatives) =>
        JsonElement.Parse("""{"$defs":{"s":{"type":"string"},"n":{"type":"number"}},"oneOf":""" + alternatives + "}");
}
