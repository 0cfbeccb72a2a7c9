using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Models;

[Collection(StoredModelsCollection.Name)]
public sealed class ModelGrainTests(StoredModels models)
{
    private static readonly SamplingOverrides Greedy = new() { Temperature = 0 };

    [Fact]
    public async Task GenerateAsync_FirstCall_LoadsTheModelAndGenerates()
    {
        await using var host = await GrainsHost.StartAsync(models);

        var text = await CollectAsync(host.Model(models.A.Id).GenerateAsync(Request("Hello")));

        Assert.NotEmpty(text);
        Assert.True(host.IsLoaded(models.A.Id));
        var status = host.Status(models.A.Id);
        Assert.Equal(models.A.Id, status.Id);
        Assert.Contains("ai/tiny-a:latest", status.Tags);
        Assert.Equal(KeepAlive.Default, status.KeepAlive);
        Assert.True(status.MemoryBytes > 0);
    }

    [Fact]
    public async Task GenerateAsync_FiftyConcurrentFirstCalls_LoadTheModelOnce()
    {
        await using var host = await GrainsHost.StartAsync(models);

        var texts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            CollectAsync(host.Model(models.A.Id).GenerateAsync(Request("Same prompt"))))));

        Assert.Single(texts.Distinct());
        Assert.Single(host.Loaded.All);
        Assert.Equal(host.Admission.InUse.Memory, host.Status(models.A.Id).MemoryBytes);
    }

    [Fact]
    public async Task KeepAlive_Zero_UnloadsRightAfterTheRequest()
    {
        await using var host = await GrainsHost.StartAsync(models);

        await CollectAsync(host.Model(models.A.Id).GenerateAsync(Request("Hi") with { KeepAlive = TimeSpan.Zero }));

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "keep_alive 0 should unload the model once the request ends");
        Assert.Equal(0, host.Admission.InUse.Memory);
    }

    [Fact]
    public async Task KeepAlive_Custom_UnloadsOnceIdleThatLongAndNotBefore()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("2s"));
        var expires = host.Status(models.A.Id).ExpiresAt;
        Assert.Equal(host.Status(models.A.Id).LastUsed + TimeSpan.FromSeconds(2), expires);

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "a 2 s keep-alive should unload the model after 2 s idle");

        Assert.True(DateTimeOffset.UtcNow >= expires, "unloaded before its keep-alive ran out");
    }

    [Fact]
    public async Task KeepAlive_ObservingTheModel_NeitherKeepsItLoadedNorLoadsItAgain()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("1s"));

        // What ps, status and metrics do: read the node's registry, as often as they like.
        await Eventually.TrueAsync(() => host.Loaded.Statuses().All(status => status.Id != models.A.Id), "a model with a 1 s keep-alive should unload while it is being watched");
        for (var i = 0; i < 20; i++)
        {
            Assert.DoesNotContain(host.Loaded.Statuses(), status => status.Id == models.A.Id);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task KeepAlive_DefaultIsFiveMinutes()
    {
        await using var host = await GrainsHost.StartAsync(models);

        await host.Model(models.A.Id).PreloadAsync();

        var status = host.Status(models.A.Id);
        Assert.Equal(TimeSpan.FromMinutes(5), status.KeepAlive);
        Assert.Equal(status.LastUsed + TimeSpan.FromMinutes(5), status.ExpiresAt);
    }

    [Fact]
    public async Task KeepAlive_Negative_PinsTheModel()
    {
        await using var host = await GrainsHost.StartAsync(models);

        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("-1"));

        var status = host.Status(models.A.Id);
        Assert.Equal(Timeout.InfiniteTimeSpan, status.KeepAlive);
        Assert.Null(status.ExpiresAt);
        Assert.True(host.Loaded.Find(models.A.Id)!.IsPinned);
    }

    [Fact]
    public async Task KeepAlive_ALaterRequest_ReplacesTheEarlierOne()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("-1"));

        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("1s"));

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "a pinned model asked again with a 1 s keep-alive should unload");
    }

    [Fact]
    public async Task UnloadAsync_IdleModel_Unloads()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync();

        await host.Model(models.A.Id).UnloadAsync();

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "the model should unload");
        Assert.Equal(0, host.Admission.InUse.Memory);
    }

    [Fact]
    public async Task PreloadAsync_LoadSlowerThanTheResponseTimeout_Succeeds()
    {
        var data = GrainsHost.NewDataDirectory();
        await using (var configuring = await GrainsHost.StartAsync(models, data))
        {
            // Reading 720 MB of weights without mmap takes well over the timeout below.
            await configuring.Settings.SetAsync(models.Slow.Id, new ModelSettings(RuntimeFlags: ["--no-mmap"]));
        }

        // Every other call of this cluster times out after 300 ms.
        await using var host = await GrainsHost.StartAsync(models, data, responseTimeout: TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        await host.Model(models.Slow.Id).PreloadAsync();

        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) > TimeSpan.FromMilliseconds(300), "the load was not slower than the response timeout, so this test proves nothing");
        Assert.True(host.IsLoaded(models.Slow.Id));
    }

    [Fact]
    public async Task GenerateAsync_ModelNotInTheStoreYet_FailsThenWorksOnceItIs()
    {
        await using var host = await GrainsHost.StartAsync(models);
        var name = "late-" + Guid.NewGuid().ToString("N")[..8];
        var late = models.Package(name, Engine.TestModels.TestModelShape.Tiny, 7);
        models.Distribution.Store.Remove(late.Id, force: true);

        var missing = await Assert.ThrowsAnyAsync<Exception>(() => host.Model(late.Id).PreloadAsync());
        Assert.Equal(typeof(Distribution.ModelNotFoundException).FullName, missing.GetType().FullName);
        Assert.False(host.IsLoaded(late.Id));
        var again = models.Package(name, Engine.TestModels.TestModelShape.Tiny, 7);

        await host.Model(again.Id).PreloadAsync();

        Assert.Equal(late.Id, again.Id);
        Assert.True(host.IsLoaded(again.Id));
    }

    [Fact]
    public async Task GenerateAsync_AllSequencesBusyAndQueueFull_IsOverloadedWithARetryHint()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Settings.SetAsync(models.B.Id, new ModelSettings(RuntimeFlags: ["--parallel", "1"]));
        var model = host.Model(models.B.Id);
        var running = new List<IAsyncEnumerator<GenerationChunk>>();
        var firsts = new List<Task<bool>>();
        try
        {
            // One sequence generates; the queue behind it is bounded: some request is refused.
            for (var i = 0; i < 256; i++)
            {
                var stream = model.GenerateAsync(Request("Keep going") with { MaxTokens = 4000 }).GetAsyncEnumerator();
                running.Add(stream);
                firsts.Add(stream.MoveNextAsync().AsTask());
            }

            await Eventually.TrueAsync(() => firsts.Any(first => first.IsFaulted), "a request beyond the queue should be refused");
            var overloaded = Assert.IsType<ModelOverloadedException>(firsts.First(first => first.IsFaulted).Exception!.InnerException);

            Assert.True(overloaded.RetryAfter > TimeSpan.Zero);
            Assert.Contains("busy", overloaded.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var stream in running)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task EmbedAsync_BertModel_ReturnsUnitVectors()
    {
        await using var host = await GrainsHost.StartAsync(models);

        var result = await host.Model(models.Bert.Id).EmbedAsync(["one", "two"]);

        Assert.Equal(2, result.Vectors.Count);
        Assert.All(result.Vectors, vector => Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 4));
    }

    [Fact]
    public async Task Settings_SurviveARestartAndApplyOnTheNextLoad()
    {
        var data = GrainsHost.NewDataDirectory();
        await using (var host = await GrainsHost.StartAsync(models, data))
        {
            await host.Settings.SetAsync(models.A.Id, new ModelSettings(1024, ["--parallel", "2", "--temp", "0"], TimeSpan.FromMinutes(10)));
        }

        await using var restarted = await GrainsHost.StartAsync(models, data);
        var settings = await restarted.Settings.GetAsync(models.A.Id);
        await restarted.Model(models.A.Id).PreloadAsync();
        var status = restarted.Status(models.A.Id);

        Assert.Equal(1024, settings.ContextSize);
        Assert.Equal(["--parallel", "2", "--temp", "0"], settings.Flags);
        Assert.Equal((1024, 2, TimeSpan.FromMinutes(10)), (status.ContextSize, status.Sequences, status.KeepAlive));
    }

    [Fact]
    public async Task Settings_ChangedWhileLoadedAndIdle_ReloadsWithThem()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync();

        await host.Settings.SetAsync(models.A.Id, new ModelSettings(ContextSize: 512));

        Assert.False(host.IsLoaded(models.A.Id));
        await host.Model(models.A.Id).PreloadAsync();
        Assert.Equal(512, host.Status(models.A.Id).ContextSize);
        await host.Settings.SetAsync(models.A.Id, ModelSettings.Default);
    }

    [Fact]
    public async Task Settings_ChangedWhileBusy_AreRefusedAsAConflict()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await using var stream = host.Model(models.A.Id).GenerateAsync(Request("long") with { MaxTokens = 3000 }).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        await Assert.ThrowsAsync<ModelBusyException>(() => host.Settings.SetAsync(models.A.Id, new ModelSettings(ContextSize: 512)));
    }

    [Theory]
    [InlineData("--model")]
    [InlineData("--log-file")]
    public async Task Settings_FlagOutsideTheAllowedList_IsRefused(string flag)
    {
        await using var host = await GrainsHost.StartAsync(models);

        var exception = await Assert.ThrowsAsync<InvalidRequestException>(() => host.Settings.SetAsync(models.A.Id, new ModelSettings(RuntimeFlags: [flag, "x"])));

        Assert.Contains("not allowed", exception.Message, StringComparison.Ordinal);
        Assert.Equal("runtime-flags", exception.Field);
    }

    internal static ModelRequest Request(string prompt) => new(ModelPrompt.Raw(prompt)) { MaxTokens = 8, Sampling = Greedy };

    internal static async Task<string> CollectAsync(IAsyncEnumerable<GenerationChunk> chunks)
    {
        var text = "";
        await foreach (var chunk in chunks)
        {
            text += chunk.Text;
        }

        return text;
    }
}
