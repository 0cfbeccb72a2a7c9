using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelRunner.Cluster.Tests;

/// <summary>
/// Three real <c>serve --cluster</c> processes sharing an API key: peers fetch models and ask each
/// other with it; <c>ls</c> on any node lists the cluster's models, <c>rm</c> removes them
/// everywhere; a model configured with replicas gains activations on distinct nodes under load.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterModelsTests(PostgresFixture fixture)
{
    private const string Model = "ai/tiny-random";
    private const string Key = "cluster-secret";

    [Fact]
    public async Task ThreeNodesWithAnApiKey_ListRemoveEverywhere_AndReplicasSpreadUnderLoad()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var one = await ClusterNodeProcess.StartAsync(database, demo: true, apiKey: Key);
        await using var two = await ClusterNodeProcess.StartAsync(database, apiKey: Key);
        await using var three = await ClusterNodeProcess.StartAsync(database, apiKey: Key);
        using var http = Client();

        // Each node routes and places by its own view of the membership: a node that has not yet
        // heard of the third would run at most two replicas.
        foreach (var node in new[] { one, two, three })
        {
            await Eventually.TrueAsync(async () => await ActiveNodesAsync(http, node) == 3, $"{node.Address} should see three active nodes", TimeSpan.FromMinutes(1));
        }

        // The peers' registry is behind the key like every other route.
        using (var anonymous = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(one.Address, $"/v2/{Model}/manifests/latest"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(one.Address, $"/v2/{Model}/manifests/latest"))).StatusCode);

        // ls on a node whose store is empty lists the model node 1 holds.
        Assert.Empty(StoredFiles(three));
        Assert.Contains(Model + ":latest", await ListAsync(http, three));
        var tags = (await http.GetFromJsonAsync<JsonObject>(new Uri(three.Address, "/api/tags")))!["models"]!.AsArray();
        Assert.Contains(tags, model => model!["name"]!.GetValue<string>() == Model + ":latest");

        // Configuring on node 2 fetches the model from node 1 with the key.
        var configured = await http.PostAsJsonAsync(new Uri(two.Address, "/engines/_configure"), new JsonObject { ["model"] = Model, ["context_size"] = 4096, ["replicas"] = 3 });
        Assert.True(configured.IsSuccessStatusCode, await configured.Content.ReadAsStringAsync() + two.Log);
        Assert.NotEmpty(StoredFiles(two));
        Assert.Equal(3, (await http.GetFromJsonAsync<JsonObject>(new Uri(one.Address, $"/engines/_configure?model={Model}")))!["replicas"]!.GetValue<int>());

        // One stream in flight keeps replica 0 busy, a second keeps replica 1 busy: a third request
        // goes to replica 2, on the one node running neither (node 3, which fetches the files itself).
        using var first = await StreamAsync(http, two);
        using var second = await StreamAsync(http, two);
        await ChatAsync(http, two);

        // ps leaves out a peer that does not answer within two seconds (a loaded machine may not).
        IReadOnlyList<string> nodes = [];
        await Eventually.TrueAsync(async () => (nodes = await RunningOnAsync(http, one)).Count == 3, "ps should list the three replicas", TimeSpan.FromMinutes(1));
        Assert.Equal(3, nodes.Distinct().Count());
        Assert.NotEmpty(StoredFiles(three));
        first.Dispose();
        second.Dispose();

        // rm on any node removes the model from every store, loaded or not (with force).
        var removed = await http.DeleteAsync(new Uri(three.Address, $"/models/{Model}?force=true"));
        Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        foreach (var node in new[] { one, two, three })
        {
            Assert.DoesNotContain(Model + ":latest", await ListAsync(http, node));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(new Uri(two.Address, $"/models/{Model}"))).StatusCode);
    }

    private static HttpClient Client()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return http;
    }

    private static async Task<int> ActiveNodesAsync(HttpClient http, ClusterNodeProcess node) =>
        (await http.GetFromJsonAsync<JsonArray>(new Uri(node.Address, "/engines/nodes")))!
            .Count(member => member!["status"]!.GetValue<string>() == "active");

    /// <summary>The node of each replica of the model that ps on <paramref name="node"/> lists.</summary>
    private static async Task<IReadOnlyList<string>> RunningOnAsync(HttpClient http, ClusterNodeProcess node) =>
        [.. (await http.GetFromJsonAsync<JsonArray>(new Uri(node.Address, "/engines/ps")))!
            .Where(runner => runner!["model"]!.GetValue<string>().StartsWith(Model, StringComparison.Ordinal))
            .Select(runner => runner!["node"]!.GetValue<string>())];

    private static IEnumerable<string> StoredFiles(ClusterNodeProcess node)
    {
        var blobs = Path.Combine(node.Home, "models", "blobs");
        return Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories) : [];
    }

    private static async Task<IReadOnlyList<string>> ListAsync(HttpClient http, ClusterNodeProcess node) =>
        [.. (await http.GetFromJsonAsync<JsonArray>(new Uri(node.Address, "/models")))!.SelectMany(model => model!["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()))];

    /// <summary>
    /// A streamed chat in flight until disposed: the test reads only its first line, so once the
    /// socket's buffers are full the server waits to write. A 4096-token context's answer (about
    /// 800 KB of chunks) outgrows them; a 1024-token one (about 200 KB) could fit and end the request.
    /// </summary>
    private static async Task<HttpResponseMessage> StreamAsync(HttpClient http, ClusterNodeProcess node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.Address, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = Model,
                ["stream"] = true,
                ["max_tokens"] = 1_000_000,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Go on forever." }),
            }),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await body.ReadLineAsync());
        return response;
    }

    private static async Task ChatAsync(HttpClient http, ClusterNodeProcess node)
    {
        var answer = await http.PostAsJsonAsync(new Uri(node.Address, "/v1/chat/completions"), new JsonObject
        {
            ["model"] = Model,
            ["max_tokens"] = 4,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" }),
        });
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{node.Address}: {await answer.Content.ReadAsStringAsync()}\n{node.Log}");
    }
}
