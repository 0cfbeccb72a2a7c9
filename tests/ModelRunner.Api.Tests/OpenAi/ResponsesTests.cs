using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;

namespace ModelRunner.Api.Tests.OpenAi;

/// <summary>The Responses and Conversations APIs, through the official SDK where it has them.</summary>
public sealed class ResponsesTests
{
    private static ResponsesClient Responses(TestServer server) =>
        new(new ApiKeyCredential("not-needed"), new ResponsesClientOptions { Endpoint = new Uri(server.BaseAddress, "/engines/v1") });

    private static CreateResponseOptions Ask(string text, string? previous = null) =>
        new(TestServer.Model, [ResponseItem.CreateUserMessageItem(text)]) { Temperature = 0, MaxOutputTokenCount = 6, PreviousResponseId = previous };

    [Fact]
    public async Task PreviousResponseId_ContinuesTheExchange_EvenAfterARestart()
    {
        var home = Directory.CreateTempSubdirectory("modelrunner-responses-").FullName;
        try
        {
            string firstId;
            await using (var server = await TestServer.StartAsync(options => options with { Home = home }, ownsHome: false))
            {
                ResponseResult first = await Responses(server).CreateResponseAsync(Ask("My name is Ada."));
                firstId = first.Id;
                Assert.NotEmpty(first.GetOutputText());
                Assert.Equal(ResponseStatus.Completed, first.Status);
            }

            await using var restarted = await TestServer.StartAsync(options => options with { Home = home }, ownsHome: false);
            var client = Responses(restarted);
            ResponseResult kept = await client.GetResponseAsync(firstId);
            ResponseResult second = await client.CreateResponseAsync(Ask("What is my name?", firstId));

            Assert.Equal(firstId, kept.Id);
            Assert.Equal(firstId, second.PreviousResponseId);
            // The second prompt carries the first exchange: more input than the question alone.
            Assert.True(second.Usage.InputTokenCount > kept.Usage.InputTokenCount + 6);
            var inputs = new List<ResponseItem>();
            await foreach (var item in client.GetResponseInputItemsAsync(second.Id))
            {
                inputs.Add(item);
            }

            Assert.Equal(3, inputs.Count);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Streamed_EqualsWhole_AndDeleteForgetsIt()
    {
        await using var server = await TestServer.StartAsync();
        var client = Responses(server);

        ResponseResult whole = await client.CreateResponseAsync(Ask("Tell me about the sea."));
        var streamed = new StringBuilder();
        string? completedId = null;
        var streaming = Ask("Tell me about the sea.");
        streaming.StreamingEnabled = true;
        await foreach (var update in await client.CreateResponseStreamingAsync(streaming))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                streamed.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate completed)
            {
                completedId = completed.Response.Id;
            }
        }

        Assert.Equal(whole.GetOutputText(), streamed.ToString());
        Assert.NotNull(completedId);
        await client.DeleteResponseAsync(whole.Id);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(whole.Id));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Conversations_CreateAddListAndContinueWithAResponse()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.Http.PostAsJsonAsync("/v1/conversations", new { items = new[] { new { role = "user", content = "Remember: blue." } }, metadata = new { topic = "colours" } });
        using var conversation = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = conversation.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("colours", conversation.RootElement.GetProperty("metadata").GetProperty("topic").GetString());

        var response = await server.Http.PostAsJsonAsync("/v1/responses", new { model = TestServer.Model, input = "Which colour?", conversation = id, max_output_tokens = 4 });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var items = JsonDocument.Parse(await server.Http.GetStringAsync($"/v1/conversations/{id}/items?order=asc"));

        var roles = items.RootElement.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("role").GetString()).ToList();
        Assert.Equal(["user", "user", "assistant"], roles);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.DeleteAsync($"/v1/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/v1/conversations/{id}")).StatusCode);
    }

    [Fact]
    public async Task UnknownPreviousResponse_IsA404()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Http.PostAsJsonAsync("/v1/responses", new { model = TestServer.Model, input = "Hi", previous_response_id = "resp_missing" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("previous_response_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
