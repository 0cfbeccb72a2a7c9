using System.Text.Json;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>
/// Real constrained generation on the random-weight test model: whatever the weights want, the grammar must
/// make the output JSON that validates, and must let the model finish.
/// </summary>
[Collection(TestModelCollection.Name)]
public sealed class JsonGrammarGenerationTests(TestModelFixture models)
{
    public static TheoryData<string, uint> SchemasAndSeeds { get; } = Cross(
        [
            """{"type":"object","properties":{"name":{"type":"string","maxLength":8},"age":{"type":"integer","minimum":0,"maximum":120},"tags":{"type":"array","items":{"enum":["a","b","c"]},"maxItems":3},"email":{"type":["string","null"],"maxLength":6}},"required":["name","age"],"additionalProperties":false}""",
            """{"$defs":{"node":{"type":"object","properties":{"value":{"type":"integer","minimum":0,"maximum":9},"children":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},"required":["value"]}},"$ref":"#/$defs/node"}""",
            """{"type":"array","items":{"anyOf":[{"type":"boolean"},{"type":"null"},{"enum":[1,"two",[3]]},{"type":"string","maxLength":4}]},"minItems":2,"maxItems":5}""",
            """{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number"}},"required":["kind","r"]},{"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"integer"}},"required":["kind","side"]}]}""",
            """{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"null"},"c":{"type":"integer","exclusiveMaximum":0},"d":{"const":"fixed"}}}""",
        ],
        [1, 2, 3]);

    [Theory]
    [MemberData(nameof(SchemasAndSeeds))]
    public void Generate_SchemaGrammarWithSeed_ModelWritesValidJsonAndStops(string schema, uint seed)
    {
        var element = JsonElement.Parse(schema);

        var (text, ended) = ConstrainedGeneration.Generate(models.Tiny, JsonGrammar.FromSchema(element), seed);

        Assert.True(ended, $"no end of generation after 300 tokens: {text}");
        Assert.True(JsonSchemaValidator.IsValid(JsonElement.Parse(text), element, out var error), $"{text}: {error}");
    }

    [Fact]
    public void Generate_SchemaGrammarGreedy_ModelWritesValidJsonAndStops()
    {
        var element = JsonElement.Parse("""{"type":"object","properties":{"id":{"type":"integer"},"ok":{"type":"boolean"}},"required":["id","ok"]}""");

        var (text, ended) = ConstrainedGeneration.Generate(models.Tiny, JsonGrammar.FromSchema(element), seed: null);

        Assert.True(ended, $"no end of generation after 300 tokens: {text}");
        Assert.True(JsonSchemaValidator.IsValid(JsonElement.Parse(text), element, out var error), $"{text}: {error}");
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Generate_AnyJsonObjectWithSeed_ModelWritesAnObject(uint seed)
    {
        var (text, ended) = ConstrainedGeneration.Generate(models.Tiny, JsonGrammar.AnyJsonObject, seed);

        Assert.True(ended, $"no end of generation after 300 tokens: {text}");
        Assert.Equal(JsonValueKind.Object, JsonElement.Parse(text).ValueKind);
    }

    [Fact]
    public void Generate_AnyJsonObjectIntoAFreeString_StaysOnTheGrammarUpToTheCap()
    {
        // With seed 1 the random weights open a property name and, with nearly every token allowed inside a
        // string and few holding a quote, never close it: free strings are the schema's to bound (maxLength),
        // not the grammar's. What the grammar guarantees is that every token so far is on it.
        var (text, ended) = ConstrainedGeneration.Generate(models.Tiny, JsonGrammar.AnyJsonObject, 1, maxTokens: 60);

        Assert.False(ended);
        Assert.StartsWith("{\"", text, StringComparison.Ordinal);
        Assert.True(new GrammarProbe(models.Tiny, JsonGrammar.AnyJsonObject).AcceptsPrefix(text), text);
    }

    [Fact]
    public void Generate_WithoutGrammar_ModelDoesNotWriteJson()
    {
        // The control: the same model and seed, unconstrained, writes no JSON, so the grammar is what does it.
        var (text, _) = ConstrainedGeneration.Generate(models.Tiny, grammar: null, 1, maxTokens: 40);

        Assert.ThrowsAny<JsonException>(() => JsonElement.Parse(text));
    }

    private static TheoryData<string, uint> Cross(string[] schemas, uint[] seeds)
    {
        var data = new TheoryData<string, uint>();
        foreach (var schema in schemas)
        {
            foreach (var seed in seeds)
            {
                data.Add(schema, seed);
            }
        }

        return data;
    }
}
