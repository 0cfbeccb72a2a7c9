using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelRunner.Cluster.Tests;

/// <summary>
/// A node stopped the way <c>docker stop</c> and Kubernetes stop it (SIGTERM) hands its work
/// over: requests arriving on the other node while it stops, and after, all succeed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterShutdownTests(PostgresFixture fixture)
{
    private const string Model = "ai/tiny-random";

    [Fact]
    public async Task Sigterm_OfTheNodeHostingTheModel_FailsNoRequestOnTheOtherNode()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var one = await ClusterNodeProcess.StartAsync(database, demo: true);
        await using var two = await ClusterNodeProcess.StartAsync(database);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var configured = await http.PostAsJsonAsync(new Uri(one.Address, "/engines/_configure"), new JsonObject { ["model"] = Model, ["context_size"] = 512 });
        Assert.True(configured.IsSuccessStatusCode, await configured.Content.ReadAsStringAsync());

        // The model is active on node 1; node 2 has fetched its files and sends its requests there.
        var conversation = await RespondAsync(http, one, "Remember the word harbour.", previous: null);
        conversation = await RespondAsync(http, two, "And now?", previous: conversation);

        await one.TerminateAsync();
        var answered = 0;
        while (!one.Process.HasExited)
        {
            conversation = await RespondAsync(http, two, $"Turn {answered}", previous: conversation);
            answered++;
        }

        // A graceful stop takes seconds (the silo hands its grains over): requests did arrive meanwhile.
        Assert.True(answered > 0, "no request was sent while node 1 stopped");
        Assert.Equal(0, one.Process.ExitCode);
        conversation = await RespondAsync(http, two, "Still there?", previous: conversation);
        var items = (await http.GetFromJsonAsync<JsonObject>(new Uri(two.Address, $"/v1/responses/{conversation}/input_items")))!;
        Assert.Contains(items["data"]!.AsArray(), item => item!.ToJsonString().Contains("harbour", StringComparison.Ordinal));
        Assert.Contains("Loaded model", two.Log, StringComparison.Ordinal);
    }

    private static async Task<string> RespondAsync(HttpClient http, ClusterNodeProcess node, string input, string? previous)
    {
        var request = new JsonObject { ["model"] = Model, ["input"] = input, ["max_output_tokens"] = 4 };
        if (previous is not null)
        {
            request["previous_response_id"] = previous;
        }

        var answer = await http.PostAsJsonAsync(new Uri(node.Address, "/v1/responses"), request);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{node.Address}: {body}\n{node.Log}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }
}
