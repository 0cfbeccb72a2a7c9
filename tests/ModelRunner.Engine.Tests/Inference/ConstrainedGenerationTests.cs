using System.Text.Json;
using ModelRunner.Engine.Grammar;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class ConstrainedGenerationTests(TestModelFixture models)
{
    public static TheoryData<string> Schemas => new()
    {
        """{"type":"object","properties":{"name":{"type":"string","maxLength":8},"age":{"type":"integer","minimum":0,"maximum":120}},"required":["name","age"]}""",
        """{"type":"array","items":{"enum":["red","green",3,null]},"minItems":1,"maxItems":4}""",
        """{"type":"object","properties":{"ok":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string","maxLength":5},"maxItems":3},"inner":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}},"required":["ok","inner"]}""",
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task GenerateAsync_WithASchemaGrammar_AlwaysProducesJsonThatValidates(string schemaText)
    {
        using var schema = JsonDocument.Parse(schemaText);
        var grammar = JsonGrammar.FromSchema(schema.RootElement);
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 1024, Sequences = 3 });

        var generations = await Task.WhenAll(new uint[] { 1, 2, 3 }.Select(seed => Task.Run(() => Generation.CollectAsync(engine.GenerateAsync(
            "Answer in JSON:",
            new GenerationOptions { MaxTokens = 400, Grammar = grammar, Sampling = new SamplingOptions { Temperature = 1, Seed = seed } })))));

        Assert.All(generations, generation =>
        {
            Assert.Equal(FinishReason.Stop, generation.Result.Reason);
            using var output = JsonDocument.Parse(generation.Text);
            Assert.True(JsonSchemaValidator.IsValid(output.RootElement, schema.RootElement, out var error), $"{generation.Text}: {error}");
        });
    }

    [Fact]
    public async Task GenerateAsync_GrammarThatDoesNotParse_ThrowsInvalidOption()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 256, Sequences = 1 });

        var exception = await Assert.ThrowsAsync<InvalidOptionException>(() => Generation.CollectAsync(engine.GenerateAsync("x", new GenerationOptions { Grammar = "root ::= (" })));

        Assert.Contains("grammar", exception.Message, StringComparison.Ordinal);
    }
}
