using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelRunner.Distribution.Testing;

namespace ModelRunner.Cli.Tests.Crash;

/// <summary>
/// <c>kill -9</c> of a real <c>serve</c> process in the middle of what writes state, then a restart on
/// the same home: the store verifies clean, no half-written model is listed, a partial download
/// resumes, and settings, conversations and stored responses are as before or as after the
/// interrupted operation, never in between. Transfers are throttled by a proxy so the kill lands
/// mid-blob; operations that take milliseconds (remove, configure, package) are killed as soon as
/// the request is sent, wherever that lands, and the same either/or must hold.
/// </summary>
public sealed class CrashConsistencyTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public async Task Pull_KilledMidBlob_ListsNothingVerifiesCleanAndResumes()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var publisher = new CrashHome();
        await using (var source = await publisher.ServeAsync("--demo"))
        {
            using var http = CrashHome.Client(source);
            await PushAsync(http, CliServer.Model, $"{registry.Host}/crash/pull:1");
        }

        await using var proxy = new TcpProxy(registry.Port, new ProxyBehavior { BytesPerSecond = MiB });
        using var home = new CrashHome();
        var reference = $"{proxy.Host}/crash/pull:1";
        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            var pulling = http.PostAsJsonAsync("/models/create", new JsonObject { ["from"] = reference });
            await Eventually.TrueAsync(() => pulling.IsCompleted || home.Partials.Any(partial => partial.Length >= MiB), "1 MiB of a blob on disk", TimeSpan.FromSeconds(60));
            Assert.False(pulling.IsCompleted, pulling.IsCompletedSuccessfully ? await (await pulling).Content.ReadAsStringAsync() : "the pull failed");
            await server.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => pulling);
        }

        var partial = Assert.Single(home.Partials);
        var kept = partial.Length;
        Assert.True((await home.VerifyAsync()).Healthy);

        proxy.Behavior = ProxyBehavior.PassThrough;
        proxy.ResetCounters();
        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            Assert.Empty(await CrashHome.TagsAsync(http));

            var pulled = await http.PostAsJsonAsync("/models/create", new JsonObject { ["from"] = reference });
            var progress = await pulled.Content.ReadAsStringAsync();
            Assert.True(pulled.IsSuccessStatusCode, progress);
            Assert.Contains($"Resuming {partial.Name[..12]} from {kept}", progress, StringComparison.Ordinal);
            Assert.Contains("crash/pull:1", string.Join(" ", await CrashHome.TagsAsync(http)), StringComparison.Ordinal);
            await AnswersAsync(http, reference);
        }

        Assert.True((await home.VerifyAsync()).Healthy);
    }

    [Fact]
    public async Task Push_KilledMidBlob_KeepsTheLocalModelWholeAndPushesAgain()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = new TcpProxy(registry.Port, new ProxyBehavior { BytesPerSecond = MiB });
        using var home = new CrashHome();
        var target = $"{proxy.Host}/crash/push:1";
        await using (var server = await home.ServeAsync("--demo"))
        {
            using var http = CrashHome.Client(server);
            await TagAsync(http, CliServer.Model, target);
            var pushing = http.PostAsync($"/models/{target}/push", null);
            await Eventually.TrueAsync(() => pushing.IsCompleted || proxy.BytesToServer >= MiB, "1 MiB pushed", TimeSpan.FromSeconds(60));
            Assert.False(pushing.IsCompleted, pushing.IsCompletedSuccessfully ? await (await pushing).Content.ReadAsStringAsync() : "the push failed");
            await server.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => pushing);
        }

        Assert.True((await home.VerifyAsync()).Healthy);
        proxy.Behavior = ProxyBehavior.PassThrough;
        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            Assert.Contains(target, await CrashHome.TagsAsync(http));
            await PushAsync(http, target, target);
            await AnswersAsync(http, target);
        }
    }

    [Fact]
    public async Task Remove_Killed_LeavesTheModelWholeOrGone()
    {
        using var home = new CrashHome();
        await using (var server = await home.ServeAsync("--demo"))
        {
            using var http = CrashHome.Client(server);
            var removing = http.DeleteAsync($"/models/{CliServer.Model}");
            await server.KillAsync();
            await Task.WhenAny(removing);
        }

        Assert.True((await home.VerifyAsync()).Healthy);
        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            if ((await CrashHome.TagsAsync(http)).Count > 0)
            {
                await AnswersAsync(http, CliServer.Model);
            }
        }
    }

    [Fact]
    public async Task Package_Killed_ListsTheModelWholeOrNotAtAll()
    {
        using var home = new CrashHome();
        await using (var server = await home.ServeAsync("--demo"))
        {
            using var http = CrashHome.Client(server);
            // The demo model's GGUF (its largest blob) is a real file to package again under a new name.
            var gguf = Path.Combine(home.Path, "copy.gguf");
            File.Copy(new DirectoryInfo(Path.Combine(home.Store, "blobs", "sha256")).EnumerateFiles().MaxBy(file => file.Length)!.FullName, gguf);
            var packaging = http.PostAsJsonAsync("/models/package", new JsonObject { ["gguf"] = new JsonArray(gguf), ["tag"] = "crash/package:1", ["context_size"] = 1024 });
            await server.KillAsync();
            await Task.WhenAny(packaging);
        }

        Assert.True((await home.VerifyAsync()).Healthy);
        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            if ((await CrashHome.TagsAsync(http)).Contains("crash/package:1"))
            {
                await AnswersAsync(http, "crash/package:1");
            }
        }
    }

    [Fact]
    public async Task Configure_Killed_KeepsTheOldOrTheNewSettings()
    {
        using var home = new CrashHome();
        await using (var server = await home.ServeAsync("--demo"))
        {
            using var http = CrashHome.Client(server);
            await ConfigureAsync(http, 512);
            var configuring = ConfigureAsync(http, 768);
            await server.KillAsync();
            await Task.WhenAny(configuring);
        }

        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            var settings = await http.GetFromJsonAsync<JsonObject>($"/engines/_configure?model={CliServer.Model}");
            Assert.Contains(settings!["context-size"]!.GetValue<int>(), new[] { 512, 768 });
            await AnswersAsync(http, CliServer.Model);
        }
    }

    [Fact]
    public async Task ConversationTurn_KilledMidAnswer_IsRecordedWholeOrNotAtAll()
    {
        using var home = new CrashHome();
        string conversation, interrupted;
        int before;
        await using (var server = await home.ServeAsync("--demo"))
        {
            using var http = CrashHome.Client(server);
            var created = await http.PostAsJsonAsync("/v1/conversations", new JsonObject());
            conversation = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            var first = await http.PostAsJsonAsync("/v1/responses", Turn(conversation, stream: false, maxTokens: 4));
            Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
            before = await ItemCountAsync(http, conversation);

            // A turn that would stream far longer than the test: killed after its first text.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = JsonContent.Create(Turn(conversation, stream: true, maxTokens: 100_000)) };
            using var streaming = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var body = new StreamReader(await streaming.Content.ReadAsStreamAsync());
            interrupted = "";
            while (await body.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is JsonObject data)
                {
                    interrupted = data["response"]?["id"]?.GetValue<string>() is { Length: > 0 } id && interrupted.Length == 0 ? id : interrupted;
                    if (data["type"]?.GetValue<string>() == "response.output_text.delta")
                    {
                        break;
                    }
                }
            }

            Assert.NotEmpty(interrupted);
            await server.KillAsync();
        }

        await using (var server = await home.ServeAsync())
        {
            using var http = CrashHome.Client(server);
            var after = await ItemCountAsync(http, conversation);
            // Before the turn, or after it with both its message and a whole answer.
            Assert.Contains(after, new[] { before, before + 2 });
            var stored = await http.GetAsync($"/v1/responses/{interrupted}");
            if (stored.IsSuccessStatusCode)
            {
                Assert.Equal("completed", (await stored.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
            }
            else
            {
                Assert.Equal(System.Net.HttpStatusCode.NotFound, stored.StatusCode);
            }

            // The conversation goes on from where it was.
            var next = await http.PostAsJsonAsync("/v1/responses", Turn(conversation, stream: false, maxTokens: 4));
            Assert.True(next.IsSuccessStatusCode, await next.Content.ReadAsStringAsync());
            Assert.Equal(after + 2, await ItemCountAsync(http, conversation));
        }
    }

    private static JsonObject Turn(string conversation, bool stream, int maxTokens) => new()
    {
        ["model"] = CliServer.Model,
        ["conversation"] = conversation,
        ["input"] = "Tell me more.",
        ["max_output_tokens"] = maxTokens,
        ["stream"] = stream,
    };

    private static async Task<int> ItemCountAsync(HttpClient http, string conversation) =>
        (await http.GetFromJsonAsync<JsonObject>($"/v1/conversations/{conversation}/items?limit=100"))!["data"]!.AsArray().Count;

    private static async Task TagAsync(HttpClient http, string source, string target)
    {
        var colon = target.LastIndexOf(':');
        var tagged = await http.PostAsync($"/models/{source}/tag?repo={Uri.EscapeDataString(target[..colon])}&tag={target[(colon + 1)..]}", null);
        Assert.True(tagged.IsSuccessStatusCode, await tagged.Content.ReadAsStringAsync());
    }

    private static async Task PushAsync(HttpClient http, string source, string target)
    {
        if (source != target)
        {
            await TagAsync(http, source, target);
        }

        var pushed = await http.PostAsync($"/models/{target}/push", null);
        var progress = await pushed.Content.ReadAsStringAsync();
        Assert.True(pushed.IsSuccessStatusCode && !progress.Contains("\"error\"", StringComparison.Ordinal), progress);
    }

    private static Task<HttpResponseMessage> ConfigureAsync(HttpClient http, int contextSize) =>
        http.PostAsJsonAsync("/engines/_configure", new JsonObject { ["model"] = CliServer.Model, ["context_size"] = contextSize });

    private static async Task AnswersAsync(HttpClient http, string model)
    {
        var answer = await http.PostAsJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 2,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Still there?" }),
        });
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }
}
