using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;

namespace ModelRunner.Api.Tests.OpenAi;

/// <summary>
/// Function tools in the Responses API through the official SDK: calls come out as
/// <c>function_call</c> items (streamed with their own events) and go back as
/// <c>function_call_output</c> items. <c>tool_choice: required</c> makes the tiny random model's
/// call deterministic (a grammar writes it).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ResponsesToolTests(ServerFixture fixture)
{
    private ResponsesClient Client => new(new ApiKeyCredential("not-needed"), new ResponsesClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, "/v1") });

    private static CreateResponseOptions AskWithWeatherTool()
    {
        var options = new CreateResponseOptions(TestServer.Model, [ResponseItem.CreateUserMessageItem("What is the weather in Paris?")])
        {
            Temperature = 0,
            MaxOutputTokenCount = 80,
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
        };
        options.Tools.Add(ResponseTool.CreateFunctionTool(
            "get_weather",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string","maxLength":8}},"required":["city"]}"""),
            strictModeEnabled: false,
            functionDescription: "The weather in a city."));
        return options;
    }

    [Fact]
    public async Task RequiredTool_AnswersWithAFunctionCallItem_AndItsOutputContinuesTheExchange()
    {
        ResponseResult first = await Client.CreateResponseAsync(AskWithWeatherTool());

        var call = Assert.Single(first.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        using (var arguments = JsonDocument.Parse(call.FunctionArguments.ToString()))
        {
            Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        }

        var next = new CreateResponseOptions(TestServer.Model, [ResponseItem.CreateFunctionCallOutputItem(call.CallId, "Sunny, 24 degrees.")])
        {
            Temperature = 0,
            MaxOutputTokenCount = 6,
            PreviousResponseId = first.Id,
        };
        ResponseResult second = await Client.CreateResponseAsync(next);
        ResponseResult questionAlone = await Client.CreateResponseAsync(new CreateResponseOptions(TestServer.Model, [ResponseItem.CreateUserMessageItem("What is the weather in Paris?")]) { Temperature = 0, MaxOutputTokenCount = 1 });

        Assert.Equal(ResponseStatus.Completed, second.Status);
        Assert.Empty(second.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.NotEmpty(second.GetOutputText());
        // The second prompt holds the question, the model's call and the call's output.
        Assert.True(second.Usage.InputTokenCount > questionAlone.Usage.InputTokenCount + first.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task RequiredTool_Streamed_SendsTheCallsEventsInOrder_AndTheSameCall()
    {
        ResponseResult whole = await Client.CreateResponseAsync(AskWithWeatherTool());
        var expected = Assert.Single(whole.OutputItems.OfType<FunctionCallResponseItem>());

        var options = AskWithWeatherTool();
        options.StreamingEnabled = true;
        var kinds = new List<string>();
        var arguments = new StringBuilder();
        string? done = null;
        FunctionCallResponseItem? finished = null;
        ResponseResult? completed = null;
        await foreach (var update in await Client.CreateResponseStreamingAsync(options))
        {
            switch (update)
            {
                case StreamingResponseOutputItemAddedUpdate { Item: FunctionCallResponseItem }:
                    kinds.Add("added");
                    break;
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    kinds.Add("delta");
                    arguments.Append(delta.Delta);
                    break;
                case StreamingResponseFunctionCallArgumentsDoneUpdate argumentsDone:
                    kinds.Add("arguments.done");
                    done = argumentsDone.FunctionArguments.ToString();
                    break;
                case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem item }:
                    kinds.Add("item.done");
                    finished = item;
                    break;
                case StreamingResponseOutputTextDeltaUpdate:
                    kinds.Add("text");
                    break;
                case StreamingResponseCompletedUpdate end:
                    kinds.Add("completed");
                    completed = end.Response;
                    break;
            }
        }

        Assert.Equal(["added", "delta", "arguments.done", "item.done", "completed"], kinds);
        Assert.Equal(expected.FunctionArguments.ToString(), arguments.ToString());
        Assert.Equal(arguments.ToString(), done);
        Assert.NotNull(finished);
        Assert.Equal("get_weather", finished.FunctionName);
        Assert.Equal(finished.CallId, Assert.Single(completed!.OutputItems.OfType<FunctionCallResponseItem>()).CallId);
    }

    [Fact]
    public async Task FunctionCallInput_IsTheModelsOwnCall_InTheNextPrompt()
    {
        var withCall = new CreateResponseOptions(TestServer.Model, [
            ResponseItem.CreateUserMessageItem("What is the weather in Paris?"),
            ResponseItem.CreateFunctionCallItem("call_1", "get_weather", BinaryData.FromString("""{"city":"Paris"}""")),
            ResponseItem.CreateFunctionCallOutputItem("call_1", "Sunny, 24 degrees."),
        ]) { Temperature = 0, MaxOutputTokenCount = 4, StoredOutputEnabled = false };
        var without = new CreateResponseOptions(TestServer.Model, [ResponseItem.CreateUserMessageItem("What is the weather in Paris?")]) { Temperature = 0, MaxOutputTokenCount = 4, StoredOutputEnabled = false };

        ResponseResult longer = await Client.CreateResponseAsync(withCall);
        ResponseResult shorter = await Client.CreateResponseAsync(without);

        Assert.Equal(ResponseStatus.Completed, longer.Status);
        Assert.True(longer.Usage.InputTokenCount > shorter.Usage.InputTokenCount + 10);
    }

    [Theory]
    [InlineData("""{"model":"ai/tiny-random","input":"Hi","tools":[{"type":"web_search"}]}""", "tools[0].type")]
    [InlineData("""{"model":"ai/tiny-random","input":"Hi","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"model":"ai/tiny-random","input":"Hi","tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"model":"ai/tiny-random","input":"Hi","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice")]
    [InlineData("""{"model":"ai/tiny-random","input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"ai/tiny-random","input":[{"type":"function_call","call_id":"c"}]}""", "input[0].name")]
    [InlineData("""{"model":"ai/tiny-random","input":[{"type":"reasoning"}]}""", "input[0].type")]
    public async Task BadToolRequests_GetOpenAisErrorShape(string json, string param)
    {
        using var response = await fixture.Http.PostAsync("/v1/responses", new StringContent(json, Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, body.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
