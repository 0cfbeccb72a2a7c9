using System.Text.Json;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

public sealed class JsonSchemaValidatorTests
{
    public static TheoryData<string, string, bool> Cases { get; } = new()
    {
        // type
        { """{"type":"string"}""", "\"x\"", true },
        { """{"type":"string"}""", "1", false },
        { """{"type":"integer"}""", "3", true },
        { """{"type":"integer"}""", "3.0", true },
        { """{"type":"integer"}""", "1e2", true },
        { """{"type":"integer"}""", "2.5e1", true },
        { """{"type":"integer"}""", "3.5", false },
        { """{"type":"integer"}""", "1e-2", false },
        { """{"type":"integer"}""", "\"3\"", false },
        { """{"type":"number"}""", "3", true },
        { """{"type":"number"}""", "-3.5e-7", true },
        { """{"type":"number"}""", "true", false },
        { """{"type":"boolean"}""", "false", true },
        { """{"type":"boolean"}""", "0", false },
        { """{"type":"null"}""", "null", true },
        { """{"type":"null"}""", "\"null\"", false },
        { """{"type":"object"}""", "{}", true },
        { """{"type":"object"}""", "[]", false },
        { """{"type":"array"}""", "[]", true },
        { """{"type":"array"}""", "{}", false },
        { """{"type":["string","null"]}""", "null", true },
        { """{"type":["string","null"]}""", "\"a\"", true },
        { """{"type":["string","null"]}""", "0", false },
        { """{"type":["integer","boolean"]}""", "true", true },
        { """{"type":["integer","boolean"]}""", "0.5", false },
        // properties, required, additionalProperties
        { """{"properties":{"a":{"type":"integer"}}}""", """{"a":1}""", true },
        { """{"properties":{"a":{"type":"integer"}}}""", """{"a":"1"}""", false },
        { """{"properties":{"a":{"type":"integer"}}}""", """{"b":"1"}""", true },
        { """{"properties":{"a":{"type":"integer"}}}""", "\"not an object\"", true },
        { """{"properties":{"a":{}},"required":["a"]}""", "{}", false },
        { """{"properties":{"a":{}},"required":["a"]}""", """{"a":null}""", true },
        { """{"required":["a","b"]}""", """{"b":1,"a":2}""", true },
        { """{"required":["a","b"]}""", """{"a":2}""", false },
        { """{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1}""", true },
        { """{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1,"b":2}""", false },
        { """{"additionalProperties":{"type":"string"}}""", """{"x":"1","y":"2"}""", true },
        { """{"additionalProperties":{"type":"string"}}""", """{"x":"1","y":2}""", false },
        { """{"additionalProperties":false}""", "{}", true },
        { """{"additionalProperties":false}""", """{"x":1}""", false },
        // items, minItems, maxItems
        { """{"items":{"type":"integer"}}""", "[1,2,3]", true },
        { """{"items":{"type":"integer"}}""", "[1,\"2\"]", false },
        { """{"minItems":2}""", "[1]", false },
        { """{"minItems":2}""", "[1,2]", true },
        { """{"maxItems":2}""", "[1,2]", true },
        { """{"maxItems":2}""", "[1,2,3]", false },
        { """{"maxItems":0}""", "[]", true },
        { """{"items":false}""", "[]", true },
        { """{"items":false}""", "[1]", false },
        // minLength, maxLength in code points
        { """{"minLength":2}""", "\"ab\"", true },
        { """{"minLength":2}""", "\"a\"", false },
        { """{"maxLength":2}""", "\"abc\"", false },
        { """{"maxLength":1}""", "\"😀\"", true },
        { """{"maxLength":1}""", "\"\\ud83d\\ude00\"", true },
        { """{"minLength":2}""", "\"😀\"", false },
        { """{"maxLength":1}""", "\"\\n\"", true },
        { """{"minLength":1}""", "\"\\ud800\"", true },
        { """{"maxLength":3}""", "\"é\\u00e9中\"", true },
        // integer bounds
        { """{"type":"integer","minimum":0,"maximum":10}""", "0", true },
        { """{"type":"integer","minimum":0,"maximum":10}""", "10", true },
        { """{"type":"integer","minimum":0,"maximum":10}""", "-1", false },
        { """{"type":"integer","minimum":0,"maximum":10}""", "11", false },
        { """{"type":"integer","minimum":0,"maximum":10}""", "1e1", true },
        { """{"type":"integer","minimum":0,"maximum":10}""", "1.1e1", false },
        { """{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10}""", "0", false },
        { """{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10}""", "10", false },
        { """{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10}""", "5", true },
        { """{"type":"integer","minimum":2.5}""", "2", false },
        { """{"type":"integer","minimum":2.5}""", "3", true },
        { """{"type":"integer","maximum":-2.5}""", "-2", false },
        { """{"type":"integer","maximum":-2.5}""", "-3", true },
        { """{"type":"integer","minimum":0,"exclusiveMinimum":5}""", "5", false },
        { """{"type":"integer","maximum":1000}""", "1e400", false },
        { """{"type":"integer","minimum":-1000}""", "-1e400", false },
        { """{"type":"integer","minimum":-1000}""", "1e400", true },
        { """{"type":["integer","string"],"maximum":3}""", "\"99\"", true },
        // enum and const, by JSON equality
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", "1.0", true },
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", "\"a\"", true },
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", "null", true },
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", """{"k":[1,2]}""", true },
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", """{"k":[2,1]}""", false },
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", "\"b\"", false },
        { """{"enum":[1,"a",null,{"k":[1,2]}]}""", "false", false },
        { """{"const":{"a":1,"b":[true]}}""", """{"b":[true],"a":1}""", true },
        { """{"const":{"a":1,"b":[true]}}""", """{"a":1}""", false },
        { """{"const":"\u00e9"}""", "\"é\"", true },
        { """{"type":"string","enum":["a",1]}""", "1", false },
        // anyOf, oneOf, $ref, allOf, boolean schemas
        { """{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "1", true },
        { """{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "1.5", false },
        { """{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "1.5", true },
        { """{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "1", false },
        { """{"oneOf":[{"type":"integer"},{"type":"string"}]}""", "null", false },
        { """{"$defs":{"pos":{"type":"integer","minimum":1}},"$ref":"#/$defs/pos"}""", "1", true },
        { """{"$defs":{"pos":{"type":"integer","minimum":1}},"$ref":"#/$defs/pos"}""", "0", false },
        { """{"definitions":{"pos":{"type":"integer","minimum":1}},"items":{"$ref":"#/definitions/pos"}}""", "[1,0]", false },
        { """{"$defs":{"a b":{"type":"null"}},"$ref":"#/$defs/a%20b"}""", "null", true },
        { """{"$defs":{"a/b":{"type":"null"}},"$ref":"#/$defs/a~1b"}""", "1", false },
        { """{"type":"array","items":{"$ref":"#"}}""", "[[],[[[]]]]", true },
        { """{"type":"array","items":{"$ref":"#"}}""", "[[],[[1]]]", false },
        { """{"allOf":[{"type":"string"}]}""", "\"x\"", true },
        { """{"allOf":[{"type":"string"}]}""", "1", false },
        { """{"$defs":{"x":{"type":"string"}},"$ref":"#/$defs/x","enum":["a",1]}""", "1", false },
        { """{"$defs":{"x":{"type":"string"}},"$ref":"#/$defs/x","enum":["a",1]}""", "\"a\"", true },
        { "true", """{"anything":[1]}""", true },
        { "false", "null", false },
        { "{}", "-0", true },
        { """{"properties":{"a":false}}""", """{"a":1}""", false },
        { """{"properties":{"a":false}}""", """{"b":1}""", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsValid_InstanceAgainstSchema_MatchesJsonSchemaSemantics(string schema, string instance, bool expected)
    {
        var valid = JsonSchemaValidator.IsValid(JsonElement.Parse(instance), JsonElement.Parse(schema), out var error);

        Assert.Equal(expected, valid);
        Assert.Equal(expected, error is null);
    }

    [Theory]
    [InlineData("""{"items":{"type":"integer"}}""", """[1,"2"]""", "/1: expected integer, got string")]
    [InlineData("""{"properties":{"a":{"properties":{"b~/":{"type":"null"}}}}}""", """{"a":{"b~/":1}}""", "/a/b~0~1: expected null, got integer")]
    [InlineData("""{"required":["id"]}""", "{}", "(root): required property \"id\" is missing")]
    [InlineData("""{"properties":{},"additionalProperties":false}""", """{"x":1}""", "(root): property \"x\" is not allowed")]
    [InlineData("""{"maxLength":2}""", "\"abc\"", "(root): is 3 characters long, longer than maxLength 2")]
    [InlineData("""{"type":"integer","maximum":5}""", "6", "(root): 6 is greater than the maximum 5")]
    [InlineData("""{"enum":["a"]}""", "\"b\"", "(root): \"b\" is not one of the enum values")]
    [InlineData("""{"minItems":1}""", "[]", "(root): has 0 items, fewer than minItems 1")]
    [InlineData("""{"type":["string","null"]}""", "1.5", "(root): expected null or string, got number")]
    public void IsValid_InvalidInstance_ErrorNamesPathAndProblem(string schema, string instance, string expected)
    {
        Assert.False(JsonSchemaValidator.IsValid(JsonElement.Parse(instance), JsonElement.Parse(schema), out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void IsValid_DefaultInstance_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => JsonSchemaValidator.IsValid(default, JsonElement.Parse("{}"), out _));
    }
}
