using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelRunner.Api.Tests.Dmr;

/// <summary>DMR's runtime and operations routes: ps, unload, configure, requests, metrics, logs, preload.</summary>
public sealed class DmrEnginesTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static Task<HttpResponseMessage> ChatAsync(TestServer server, int maxTokens = 3) =>
        server.Http.PostAsJsonAsync("/engines/v1/chat/completions", new { model = TestServer.Model, messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = maxTokens });

    [Fact]
    public async Task StatusVersionRootAndDf()
    {
        await using var server = await TestServer.StartAsync();

        var status = await JsonAsync(await server.Http.GetAsync("/engines/status"));
        var version = await JsonAsync(await server.Http.GetAsync("/version"));
        var df = await JsonAsync(await server.Http.GetAsync("/engines/df"));

        Assert.StartsWith("Running: llama.cpp", status.GetProperty("llama.cpp").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(version.GetProperty("version").GetString()!);
        Assert.Contains("running", await server.Http.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.True(df.GetProperty("models_disk_usage").GetInt64() > 0);
        Assert.True(df.GetProperty("default_backend_disk_usage").GetInt64() > 0);
    }

    [Fact]
    public async Task PreloadOnly_LoadsWithoutGenerating_PsShowsIt_UnloadFreesIt()
    {
        await using var server = await TestServer.StartAsync();
        using var preload = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = TestServer.Model, messages = new[] { new { role = "user", content = "Hi" } } }),
            Headers = { { "X-Preload-Only", "true" } },
        };

        var preloaded = await server.Http.SendAsync(preload);
        var ps = await JsonAsync(await server.Http.GetAsync("/engines/ps"));
        var unloaded = await JsonAsync(await server.Http.PostAsJsonAsync("/engines/unload", new { all = true }));

        Assert.Equal(HttpStatusCode.OK, preloaded.StatusCode);
        var runner = Assert.Single(ps.EnumerateArray());
        Assert.Equal(TestServer.Model + ":latest", runner.GetProperty("model").GetString());
        Assert.Equal("llama.cpp", runner.GetProperty("backend").GetString());
        Assert.True(runner.GetProperty("memory").GetInt64() > 0);
        Assert.Empty((await JsonAsync(await server.Http.GetAsync("/engines/requests"))).EnumerateArray());
        Assert.Equal(1, unloaded.GetProperty("unloaded_runners").GetInt32());
        Assert.Empty((await JsonAsync(await server.Http.GetAsync("/engines/ps"))).EnumerateArray());
    }

    [Fact]
    public async Task Configure_IsPersistedAcrossARestart_AndRefusesUnknownFlags()
    {
        var home = Directory.CreateTempSubdirectory("modelrunner-configure-").FullName;
        try
        {
            await using (var server = await TestServer.StartAsync(options => options with { Home = home }, ownsHome: false))
            {
                var refused = await server.Http.PostAsJsonAsync("/engines/_configure", new Dictionary<string, object> { ["model"] = TestServer.Model, ["runtime-flags"] = new[] { "--model", "/etc/passwd" } });
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("--model", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

                var configured = await server.Http.PostAsJsonAsync("/engines/_configure", new Dictionary<string, object> { ["model"] = TestServer.Model, ["context-size"] = 1024, ["runtime-flags"] = new[] { "--temp", "0.2" }, ["keep_alive"] = "10m" });
                Assert.Equal(HttpStatusCode.Accepted, configured.StatusCode);
            }

            await using var restarted = await TestServer.StartAsync(options => options with { Home = home }, ownsHome: false);
            var settings = await JsonAsync(await restarted.Http.GetAsync("/engines/_configure?model=ai/tiny-random"));
            Assert.Equal(1024, settings.GetProperty("context-size").GetInt32());
            Assert.Equal(["--temp", "0.2"], settings.GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString()));
            Assert.Equal("10m0s", settings.GetProperty("keep_alive").GetString());
            await ChatAsync(restarted);
            var ps = await JsonAsync(await restarted.Http.GetAsync("/engines/ps"));
            Assert.Equal(1024, ps[0].GetProperty("context_size").GetInt32());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Requests_AreRecorded_AndFollowedLive()
    {
        await using var server = await TestServer.StartAsync();
        await ChatAsync(server);

        var recent = await JsonAsync(await server.Http.GetAsync("/engines/requests?model=ai/tiny-random"));
        var record = Assert.Single(recent.EnumerateArray());
        Assert.Equal("/engines/v1/chat/completions", record.GetProperty("url").GetString());
        Assert.Equal(200, record.GetProperty("status_code").GetInt32());
        Assert.Equal(3, record.GetProperty("tokens").GetProperty("completion").GetInt32());
        Assert.Contains("Hi", record.GetProperty("request").GetString(), StringComparison.Ordinal);

        using var follow = new HttpRequestMessage(HttpMethod.Get, "/engines/requests") { Headers = { { "Accept", "text/event-stream" } } };
        using var stream = await server.Http.SendAsync(follow, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await reader.ReadLineAsync();
        await ChatAsync(server, maxTokens: 2);
        var live = await reader.ReadLineAsync();
        using var liveRecord = JsonDocument.Parse(live!["data: ".Length..]);
        Assert.Equal(2, liveRecord.RootElement.GetProperty("tokens").GetProperty("completion").GetInt32());
    }

    [Fact]
    public async Task Requests_AFollower_IsEndedCleanlyWhenTheServerStops()
    {
        var server = await TestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var follow = new HttpRequestMessage(HttpMethod.Get, "/engines/requests") { Headers = { { "Accept", "text/event-stream" } } };
        using var stream = await http.SendAsync(follow, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var reading = reader.ReadToEndAsync();

        await server.DisposeAsync();

        // Ended by the server as it stops, not cut off when its shutdown time ran out.
        Assert.Equal("", await reading);
    }

    [Fact]
    public async Task Logs_HoldTheServersLines()
    {
        await using var server = await TestServer.StartAsync();
        await ChatAsync(server);

        var logs = await server.Http.GetStringAsync("/logs");

        Assert.Contains("Loaded model", logs, StringComparison.Ordinal);
    }
}
