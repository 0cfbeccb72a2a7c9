using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelRunner.Cluster.Tests;

/// <summary>
/// Three real <c>serve --cluster</c> processes on one real PostgreSQL: the model exists on node 1
/// only, and every node answers for it; stored responses and conversations live in the cluster,
/// not on a node; killing a node loses nothing stored.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture fixture)
{
    private const string Model = "ai/tiny-random";

    [Fact]
    public async Task ThreeNodes_ModelOnNodeOne_EveryNodeAnswersAndStoredConversationsSurviveAKill()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var one = await ClusterNodeProcess.StartAsync(database, demo: true);
        await using var two = await ClusterNodeProcess.StartAsync(database);
        await using var three = await ClusterNodeProcess.StartAsync(database);
        ClusterNodeProcess[] nodes = [one, two, three];
        await ConfigureSmallContextAsync(one);

        // The model is in node 1's store only; nodes 2 and 3 fetch it from a peer and answer.
        foreach (var node in nodes)
        {
            Assert.NotEmpty(await ChatAsync(node, "Hello from " + node.Address.Port));
        }

        Assert.NotNull(Directory.EnumerateFiles(Path.Combine(two.Home, "models"), "*", SearchOption.AllDirectories).FirstOrDefault());

        // A stored response created on node 3 continues on node 2.
        var first = await RespondAsync(three, "Remember the word lighthouse.", previous: null);
        var second = await RespondAsync(two, "What was the word?", previous: first);
        Assert.NotEqual(first, second);

        // Every node lists every node, all active.
        using var http = new HttpClient();
        var listed = (await http.GetFromJsonAsync<JsonArray>(new Uri(two.Address, "/engines/nodes")))!;
        Assert.Equal(3, listed.Count);
        Assert.All(listed, node => Assert.Equal("active", node!["status"]!.GetValue<string>()));

        // ps on any node shows the model where it is loaded: on node 1, whose grain serves everyone.
        var ps = (await http.GetFromJsonAsync<JsonArray>(new Uri(three.Address, "/engines/ps")))!;
        Assert.Contains(ps, runner => runner!["node"]!.GetValue<string>() == one.Address.ToString() && runner["model"]!.GetValue<string>().StartsWith(Model, StringComparison.Ordinal));

        // kill -9 the node where the model is active: a survivor loads it and answers.
        Assert.Contains("Loaded model", one.Log, StringComparison.Ordinal);
        one.Kill();
        var third = await RespondAsync(three, "And once more?", previous: second);

        // kill -9 the node holding the second response's grain: it re-activates on the survivor
        // from PostgreSQL, history and all.
        two.Kill();
        var fourth = await RespondAsync(three, "Still there?", previous: second);
        var items = (await http.GetFromJsonAsync<JsonObject>(new Uri(three.Address, $"/v1/responses/{fourth}/input_items")))!;
        var texts = items["data"]!.AsArray().Select(item => item!.ToJsonString()).ToList();
        Assert.Contains(texts, text => text.Contains("lighthouse", StringComparison.Ordinal));
        Assert.Contains(texts, text => text.Contains("What was the word?", StringComparison.Ordinal));
        Assert.NotEqual(third, fourth);
    }

    [Fact]
    public async Task TwoNodes_StartingAtOnceOnAnEmptyDatabase_BothComeUp()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var a = ClusterNodeProcess.Start(database);
        await using var b = ClusterNodeProcess.Start(database);

        await Task.WhenAll(a.WaitUntilUpAsync(), b.WaitUntilUpAsync());

        using var http = new HttpClient();
        await Eventually.TrueAsync(async () => (await http.GetFromJsonAsync<JsonArray>(new Uri(a.Address, "/engines/nodes")))!.Count(node => node!["status"]!.GetValue<string>() == "active") == 2, "both nodes should see each other active", TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Node_DatabaseDown_FailsToStartWithOneClearLine()
    {
        var nowhere = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=postgres;Database=none;Timeout=3";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "modelrunner.dll"), "serve", "--port", $"{LoopbackPort.Free()}", "--home", Directory.CreateTempSubdirectory("modelrunner-node-").FullName, "--cluster", nowhere })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.NotEqual(0, process.ExitCode);
        var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, line => line.StartsWith("modelrunner:", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("cluster database", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    private static async Task ConfigureSmallContextAsync(ClusterNodeProcess node)
    {
        using var http = new HttpClient();
        var configured = await http.PostAsJsonAsync(new Uri(node.Address, "/engines/_configure"), new JsonObject { ["model"] = Model, ["context_size"] = 512 });
        Assert.True(configured.IsSuccessStatusCode, await configured.Content.ReadAsStringAsync());
    }

    private static async Task<string> ChatAsync(ClusterNodeProcess node, string message)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var answer = await http.PostAsJsonAsync(new Uri(node.Address, "/v1/chat/completions"), new JsonObject
        {
            ["model"] = Model,
            ["max_tokens"] = 8,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = message }),
        });
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{node.Address}: {body}\n{node.Log}");
        return JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
    }

    private static async Task<string> RespondAsync(ClusterNodeProcess node, string input, string? previous)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var request = new JsonObject { ["model"] = Model, ["input"] = input, ["max_output_tokens"] = 8 };
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
