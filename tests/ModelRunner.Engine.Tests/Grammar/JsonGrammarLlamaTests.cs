using System.Text.Json;
using ModelRunner.Engine.Grammar;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>The grammars as llama.cpp's grammar parser and sampler see them.</summary>
[Collection(TestModelCollection.Name)]
public sealed class JsonGrammarLlamaTests(TestModelFixture models)
{
    public static TheoryData<string> CatalogNames => SchemaCatalog.Names;

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void FromSchema_CatalogSchema_LlamaParsesGrammarWithEveryRuleDefined(string name)
    {
        var grammar = JsonGrammar.FromSchema(SchemaCatalog.Get(name).Element);

        AssertLlamaParses(grammar);
        Assert.Empty(GbnfRules.Undefined(grammar));
        Assert.StartsWith("root ::= ", grammar, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyJsonObject_Parsed_LlamaParsesGrammarWithEveryRuleDefined()
    {
        AssertLlamaParses(JsonGrammar.AnyJsonObject);
        Assert.Empty(GbnfRules.Undefined(JsonGrammar.AnyJsonObject));
        Assert.Contains("root", GbnfRules.Parse(JsonGrammar.AnyJsonObject).Keys);
    }

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void FromSchema_CatalogSamples_GrammarAndValidatorAgreeOnEverySample(string name)
    {
        var schema = SchemaCatalog.Get(name);
        var probe = new GrammarProbe(models.Tiny, JsonGrammar.FromSchema(schema.Element));

        foreach (var sample in schema.Valid)
        {
            Assert.True(probe.Accepts(sample), $"the grammar rejects valid {sample}");
            Assert.True(JsonSchemaValidator.IsValid(JsonElement.Parse(sample), schema.Element, out var error), $"the validator rejects {sample}: {error}");
        }

        foreach (var sample in schema.Invalid)
        {
            Assert.False(probe.Accepts(sample), $"the grammar accepts invalid {sample}");
            Assert.False(JsonSchemaValidator.IsValid(JsonElement.Parse(sample), schema.Element, out _), $"the validator accepts {sample}");
        }
    }

    [Fact]
    public void AnyJsonObject_Samples_AcceptsObjectsOnly()
    {
        var probe = new GrammarProbe(models.Tiny, JsonGrammar.AnyJsonObject);

        Assert.True(probe.Accepts("{}"));
        Assert.True(probe.Accepts("""{"a":[1,2.5e-3,{"b":null}],"c":"\u00e9","d":true}"""));
        Assert.True(probe.Accepts("{\n  \"a\": {\n    \"b\": []\n  }\n}"));
        Assert.False(probe.Accepts("[]"));
        Assert.False(probe.Accepts("\"text\""));
        Assert.False(probe.Accepts("42"));
        Assert.False(probe.Accepts("""{"a":1,}"""));
        Assert.False(probe.Accepts("""{a:1}"""));
        Assert.False(probe.Accepts(" {}"));
    }

    [Fact]
    public void FromSchema_Whitespace_AllowsOneNewlineAndTwentyIndentCharactersBetweenTokens()
    {
        var probe = Probe("""{"type":"array","items":{"type":"integer"}}""");
        var indent = new string(' ', 20);

        Assert.True(probe.Accepts($"[\n{indent}1,\n\t2\n]"));
        Assert.True(probe.Accepts($"[{indent}1{indent},{indent}2{indent}]"));
        Assert.False(probe.Accepts($"[ {indent}1]"));
        Assert.False(probe.Accepts("[\n\n1]"));
        Assert.False(probe.Accepts("[ \n1]"));
        Assert.False(probe.Accepts("[1] "));
    }

    [Fact]
    public void FromSchema_StringCharacters_AllowsEscapesButNoRawControlsOrSurrogateEscapes()
    {
        var probe = Probe("""{"type":"string"}""");

        Assert.True(probe.Accepts("\"\\u0000\\u001f\\uD7FF\\uE000\\uffff\""));
        Assert.True(probe.Accepts("\"tab\\there\""));
        Assert.False(probe.Accepts("\"tab\there\""));
        Assert.False(probe.Accepts("\"line\nbreak\""));
        Assert.False(probe.Accepts("\"del\u007f\""));
        Assert.False(probe.Accepts("\"\\ud83d\\ude00\""));
        Assert.False(probe.Accepts("\"\\x41\""));
        Assert.False(probe.Accepts("\"\\u12\""));
        Assert.False(probe.Accepts("\"unterminated"));
    }

    [Fact]
    public void FromSchema_NumberSyntax_AcceptsJsonNumbersOnly()
    {
        var numbers = Probe("""{"type":"number"}""");
        var integers = Probe("""{"type":"integer"}""");

        foreach (var valid in new[] { "0", "-0", "7", "-12", "3.25", "1e9", "1E+9", "-2.5e-10", "10.0" })
        {
            Assert.True(numbers.Accepts(valid), valid);
        }

        foreach (var invalid in new[] { "01", "+1", ".5", "1.", "1e", "--1", "0x1", "1.5.2", "Infinity", "NaN" })
        {
            Assert.False(numbers.Accepts(invalid), invalid);
        }

        Assert.True(integers.Accepts("-0"));
        Assert.True(integers.Accepts("1234567890123"));
        Assert.False(integers.Accepts("007"));
        Assert.False(integers.Accepts("1.0"));
        Assert.False(integers.Accepts("1e3"));
    }

    [Fact]
    public void FromSchema_IntegerRange_AcceptsExactlyTheIntegersInRange()
    {
        var probe = Probe("""{"type":"integer","minimum":-37,"maximum":1204}""");

        for (var value = -150; value <= 1350; value++)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            Assert.True(probe.Accepts(text) == value is >= -37 and <= 1204, text);
        }

        Assert.False(probe.Accepts("-0"));
        Assert.False(probe.Accepts("012"));
    }

    [Fact]
    public void FromSchema_OpenEndedIntegerRanges_AcceptLongNumbersOnTheOpenSide()
    {
        var atLeast = Probe("""{"type":"integer","minimum":95}""");
        var atMost = Probe("""{"type":"integer","maximum":-95}""");

        Assert.True(atLeast.Accepts("95"));
        Assert.True(atLeast.Accepts("100"));
        Assert.True(atLeast.Accepts("98765432109876543210"));
        Assert.False(atLeast.Accepts("94"));
        Assert.False(atLeast.Accepts("-100"));
        Assert.True(atMost.Accepts("-95"));
        Assert.True(atMost.Accepts("-98765432109876543210"));
        Assert.False(atMost.Accepts("-94"));
        Assert.False(atMost.Accepts("0"));
    }

    [Fact]
    public void FromSchema_FourOptionalProperties_AcceptsEverySubsetInSchemaOrderOnly()
    {
        var names = new[] { "a", "b", "c", "d" };
        var probe = Probe("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"},"d":{"type":"integer"}}}""");

        for (var mask = 0; mask < 16; mask++)
        {
            var members = names.Where((_, index) => (mask & (1 << index)) != 0).Select(name => $"\"{name}\":1");
            var text = "{" + string.Join(",", members) + "}";
            Assert.True(probe.Accepts(text), text);
        }

        Assert.False(probe.Accepts("""{"b":1,"a":1}"""));
        Assert.False(probe.Accepts("""{"a":1,"a":1}"""));
        Assert.False(probe.Accepts("""{"a":1,}"""));
        Assert.False(probe.Accepts("""{,"a":1}"""));
        Assert.False(probe.Accepts("""{"e":1}"""));
    }

    [Fact]
    public void FromSchema_RequiredAmongOptional_AcceptsOptionalOnBothSidesAndNeverSkipsRequired()
    {
        var probe = Probe("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"}},"required":["b"]}""");

        Assert.True(probe.Accepts("""{"b":1}"""));
        Assert.True(probe.Accepts("""{"a":1,"b":1}"""));
        Assert.True(probe.Accepts("""{"b":1,"c":1}"""));
        Assert.True(probe.Accepts("""{"a":1,"b":1,"c":1}"""));
        Assert.False(probe.Accepts("{}"));
        Assert.False(probe.Accepts("""{"a":1,"c":1}"""));
        Assert.False(probe.Accepts("""{"a":1}"""));
    }

    [Fact]
    public void FromSchema_ManyOptionalProperties_GrammarGrowsLinearly()
    {
        var properties = string.Join(",", Enumerable.Range(0, 60).Select(index => $"\"p{index}\":{{\"type\":\"boolean\"}}"));
        var grammar = JsonGrammar.FromSchema(JsonElement.Parse("""{"type":"object","properties":{""" + properties + "}}"));
        var probe = new GrammarProbe(models.Tiny, grammar);

        Assert.True(grammar.Length < 20_000, $"the grammar is {grammar.Length} characters long");
        Assert.True(probe.Accepts("""{"p7":true,"p59":false}"""));
        Assert.True(probe.Accepts("{" + string.Join(",", Enumerable.Range(0, 60).Select(index => $"\"p{index}\":true")) + "}"));
        Assert.False(probe.Accepts("""{"p59":true,"p7":false}"""));
    }

    [Fact]
    public void FromSchema_DeepRecursion_AcceptsNestingAtAnyDepth()
    {
        var probe = Probe("""{"type":"object","properties":{"next":{"anyOf":[{"$ref":"#"},{"type":"null"}]}},"required":["next"]}""");
        var deep = string.Concat(Enumerable.Repeat("{\"next\":", 30)) + "null" + new string('}', 30);

        Assert.True(probe.Accepts(deep));
        Assert.False(probe.Accepts(deep[..^1]));
        Assert.True(probe.AcceptsPrefix(deep[..^1]));
    }

    [Fact]
    public void FromSchema_EnumAndPropertyNamesWithSpecialCharacters_AreWrittenAsCanonicalJson()
    {
        var probe = Probe("""{"type":"object","properties":{"a \"q\"\\/\u00e9\n":{"enum":["tab\there","\u0001","\u007f"]}},"required":["a \"q\"\\/\u00e9\n"]}""");

        Assert.True(probe.Accepts("""{"a \"q\"\\/é\n":"tab\there"}"""));
        Assert.True(probe.Accepts("""{"a \"q\"\\/é\n":"\u0001"}"""));
        Assert.True(probe.Accepts("""{"a \"q\"\\/é\n":"\u007f"}"""));
        Assert.False(probe.Accepts("""{"a \"q\"\\/é\n":"tab	here"}"""));
    }

    [Fact]
    public void FromSchema_ObjectWithoutProperties_AcceptsAnyObject()
    {
        var probe = Probe("""{"type":"object"}""");

        Assert.True(probe.Accepts("{}"));
        Assert.True(probe.Accepts("""{"anything":[1,{"x":null}],"else":"y"}"""));
        Assert.False(probe.Accepts("[]"));
    }

    [Fact]
    public void FromSchema_EmptyProperties_AcceptsOnlyTheEmptyObject()
    {
        // What a model class without fields becomes (Pydantic writes exactly this).
        var probe = Probe("""{"type":"object","properties":{},"title":"Empty"}""");

        Assert.True(probe.Accepts("{}"));
        Assert.True(probe.Accepts("{ }"));
        Assert.False(probe.Accepts("""{"a":1}"""));
    }

    [Fact]
    public void FromSchema_EmptyPropertiesWithAdditionalSchema_AcceptsAMapOfThatSchema()
    {
        var probe = Probe("""{"type":"object","properties":{},"additionalProperties":{"type":"boolean"}}""");

        Assert.True(probe.Accepts("""{"x":true,"y":false}"""));
        Assert.False(probe.Accepts("""{"x":1}"""));
    }

    [Fact]
    public void FromSchema_EnumOfFiveThousandValues_LlamaAcceptsEachValueItIsAskedAbout()
    {
        var values = Enumerable.Range(0, 5000).Select(index => $"\"v{index}\"").ToList();
        var grammar = JsonGrammar.FromSchema(JsonElement.Parse("""{"type":"string","enum":[""" + string.Join(",", values) + "]}"));
        var probe = new GrammarProbe(models.Tiny, grammar);

        Assert.True(probe.Accepts("\"v0\""));
        Assert.True(probe.Accepts("\"v4999\""));
        Assert.False(probe.Accepts("\"v5000\""));
    }

    [Fact]
    public void FromSchema_GrammarOnlyRestrictions_RejectsSpecValidJsonTheGrammarNeverWrites()
    {
        var closed = Probe("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}}}""");
        var spelled = Probe("""{"enum":["é",1.50]}""");

        // Valid for JSON Schema (extra properties are allowed when additionalProperties is absent), but the
        // grammar writes declared properties only, in schema order, and enum values in one spelling.
        Assert.True(JsonSchemaValidator.IsValid(JsonElement.Parse("""{"a":1,"z":2}"""), JsonElement.Parse("""{"type":"object","properties":{"a":{"type":"integer"}}}"""), out _));
        Assert.False(closed.Accepts("""{"a":1,"z":2}"""));
        Assert.False(closed.Accepts("""{"b":1,"a":2}"""));
        Assert.True(spelled.Accepts("\"é\""));
        Assert.True(spelled.Accepts("1.50"));
        Assert.False(spelled.Accepts("\"\\u00e9\""));
        Assert.False(spelled.Accepts("1.5"));
    }

    [Fact]
    public void FromSchema_LargeBoundedRepetition_LlamaParsesGrammar()
    {
        var grammar = JsonGrammar.FromSchema(JsonElement.Parse("""{"type":"array","items":{"type":"string","maxLength":10000},"maxItems":10000}"""));

        AssertLlamaParses(grammar);
    }

    private GrammarProbe Probe(string schema) => new(models.Tiny, JsonGrammar.FromSchema(JsonElement.Parse(schema)));

    private void AssertLlamaParses(string grammar)
    {
        using var sampler = SafeLlamaSamplerHandle.CreateChain();
        Assert.True(sampler.TryAddGrammar(models.Tiny.Handle, grammar, "root"), "llama.cpp rejected the grammar:\n" + grammar);
    }
}
