using System.Text.Json;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Grammar;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Chat;

[Collection(TestModelCollection.Name)]
public sealed class ToolPromptTests(TestModelFixture models)
{
    private static readonly ToolDefinition Weather = new("get_weather", "Current weather in a city",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":12},"unit":{"enum":["c","f"]}},"required":["city","unit"]}""").RootElement);

    private static readonly ToolDefinition Time = new("get_time", null,
        JsonDocument.Parse("""{"type":"object","properties":{"zone":{"type":"string","maxLength":6}},"required":["zone"]}""").RootElement);

    [Fact]
    public void WithTools_AddsTheToolsToTheSystemMessage()
    {
        var messages = ToolPrompt.WithTools([new ChatMessage("system", "Be kind."), new ChatMessage("user", "Weather?")], [Weather]);

        Assert.Equal(2, messages.Count);
        Assert.StartsWith("Be kind.", messages[0].Content, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"get_weather\"", messages[0].Content, StringComparison.Ordinal);
        Assert.Contains("<tool_call>", messages[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TaggedCallsAmongText_ReturnsTheCallsAndTheText()
    {
        var answer = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\", \"unit\": \"c\"}}\n</tool_call>\n<tool_call>{\"name\":\"get_time\",\"arguments\":\"{\\\"zone\\\":\\\"CET\\\"}\"}</tool_call>";

        var (content, calls) = ToolPrompt.Parse(answer, [Weather, Time]);

        Assert.Equal("Let me check.", content);
        Assert.Equal(["get_weather", "get_time"], calls.Select(call => call.Name));
        Assert.Equal("Oslo", JsonDocument.Parse(calls[0].Arguments).RootElement.GetProperty("city").GetString());
        Assert.Equal("CET", JsonDocument.Parse(calls[1].Arguments).RootElement.GetProperty("zone").GetString());
    }

    [Theory]
    [InlineData("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\", \"unit\": \"f\"}}", 1)]
    [InlineData("<tool_call>{\"name\": \"unknown\", \"arguments\": {}}</tool_call>", 0)]
    [InlineData("<tool_call>{not json</tool_call>", 0)]
    [InlineData("Just text.", 0)]
    public void Parse_VariousAnswers_FindsOnlyWellFormedCallsOfKnownTools(string answer, int expected)
    {
        var (content, calls) = ToolPrompt.Parse(answer, [Weather]);

        Assert.Equal(expected, calls.Count);
        Assert.Equal(expected == 0 ? answer : "", content);
    }

    [Fact]
    public async Task RequiredCallGrammar_DrivesARandomModelToAValidCall()
    {
        await using var engine = new InferenceEngine(models.Tiny, new EngineOptions { Threads = 1, ContextSize = 1024, Sequences = 3 });
        var grammar = ToolPrompt.RequiredCallGrammar([Weather, Time]);
        var prompt = ChatPrompt.Start(models.Tiny, ToolPrompt.WithTools([new ChatMessage("user", "What is the weather in Paris?")], [Weather, Time]));

        var generations = await Task.WhenAll(new uint[] { 1, 2, 3 }.Select(seed => Task.Run(() => Generation.CollectAsync(engine.GenerateAsync(
            prompt, new GenerationOptions { MaxTokens = 200, Grammar = grammar, Sampling = new SamplingOptions { Temperature = 1, Seed = seed } })))));

        Assert.All(generations, generation =>
        {
            var (_, calls) = ToolPrompt.Parse(generation.Text, [Weather, Time]);
            var call = Assert.Single(calls);
            var schema = call.Name == Weather.Name ? Weather.Parameters : Time.Parameters;
            Assert.True(JsonSchemaValidator.IsValid(JsonDocument.Parse(call.Arguments).RootElement, schema, out var error), error);
        });
    }

    [Fact]
    public void RequiredCallGrammar_NamingAnUnknownTool_Throws() =>
        Assert.Throws<ArgumentException>(() => ToolPrompt.RequiredCallGrammar([Weather], only: "launch_rockets"));
}
