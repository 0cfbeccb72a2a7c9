using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Models;

[Collection(StoredModelsCollection.Name)]
public sealed class ModelGrainTests(StoredModels models)
{
    private static readonly GenerationOptions Short = new() { MaxTokens = 8 };

    private static readonly SamplingOverrides Greedy = new() { Temperature = 0 };

    [Fact]
    public async Task GenerateAsync_FirstCall_LoadsTheModelAndGenerates()
    {
        await using var host = await GrainsHost.StartAsync(models);

        var text = await CollectAsync(host.Model(models.A.Id).GenerateAsync(new ModelRequest(ModelPrompt.Raw("Hello"), Short) { Sampling = Greedy }));

        Assert.NotEmpty(text);
        Assert.True(host.IsLoaded(models.A.Id));
        var status = await host.Model(models.A.Id).GetStatusAsync();
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
            CollectAsync(host.Model(models.A.Id).GenerateAsync(new ModelRequest(ModelPrompt.Raw("Same prompt"), Short) { Sampling = Greedy })))));

        Assert.Single(texts.Distinct());
        Assert.Single(host.Activations.GetActivations<IModelGrain>());
        Assert.Equal(host.Admission.InUse.Memory, (await host.Model(models.A.Id).GetStatusAsync()).MemoryBytes);
    }

    [Fact]
    public async Task KeepAlive_Zero_UnloadsRightAfterTheRequest()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await CollectAsync(host.Model(models.A.Id).GenerateAsync(new ModelRequest(ModelPrompt.Raw("Hi"), Short) { KeepAlive = TimeSpan.Zero }));

        host.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "keep_alive 0 should unload the model within a second");
        Assert.Equal(0, host.Admission.InUse.Memory);
    }

    [Fact]
    public async Task KeepAlive_Custom_UnloadsOnlyAfterThatLong()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("10s"));

        host.Advance(TimeSpan.FromSeconds(9));
        Assert.True(host.IsLoaded(models.A.Id));
        host.Advance(TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "a 10 s keep-alive should unload the model after 10 s idle");
    }

    [Fact]
    public async Task KeepAlive_DefaultIsFiveMinutes()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync();

        host.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50));
        Assert.True(host.IsLoaded(models.A.Id));
        host.Advance(TimeSpan.FromSeconds(20));

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "the default keep-alive is 5 minutes");
    }

    [Fact]
    public async Task KeepAlive_Negative_KeepsTheModelLoaded()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync(KeepAlive.Parse("-1"));

        host.Advance(TimeSpan.FromHours(3));

        Assert.True(host.IsLoaded(models.A.Id));
        Assert.Null((await host.Model(models.A.Id).GetStatusAsync()).ExpiresAt);
    }

    [Fact]
    public async Task UnloadAsync_IdleModel_Unloads()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync();

        await host.Model(models.A.Id).UnloadAsync();

        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "the model should unload");
    }

    [Fact]
    public async Task GenerateAsync_ModelNotInTheStoreYet_FailsThenWorksOnceItIs()
    {
        await using var host = await GrainsHost.StartAsync(models);
        var name = "late-" + Guid.NewGuid().ToString("N")[..8];
        var late = models.Package(name, Engine.TestModels.TestModelShape.Tiny, 7);
        models.Distribution.Store.Remove(late.Id, force: true);

        await Assert.ThrowsAsync<Distribution.ModelNotFoundException>(() => host.Model(late.Id).PreloadAsync());
        Assert.False(host.IsLoaded(late.Id));
        var again = models.Package(name, Engine.TestModels.TestModelShape.Tiny, 7);

        await host.Model(again.Id).PreloadAsync();

        Assert.Equal(late.Id, again.Id);
        Assert.True(host.IsLoaded(again.Id));
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
        var status = await restarted.Model(models.A.Id).GetStatusAsync();

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
        Assert.Equal(512, (await host.Model(models.A.Id).GetStatusAsync()).ContextSize);
        await host.Settings.SetAsync(models.A.Id, ModelSettings.Default);
    }

    [Fact]
    public async Task Settings_ChangedWhileBusy_AreRefusedAsAConflict()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await using var stream = host.Model(models.A.Id).GenerateAsync(new ModelRequest(ModelPrompt.Raw("long"), new GenerationOptions { MaxTokens = 3000 })).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        await Assert.ThrowsAsync<ModelBusyException>(() => host.Settings.SetAsync(models.A.Id, new ModelSettings(ContextSize: 512)));
    }

    [Theory]
    [InlineData("--model")]
    [InlineData("--log-file")]
    public async Task Settings_FlagOutsideTheAllowedList_IsRefused(string flag)
    {
        await using var host = await GrainsHost.StartAsync(models);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => host.Settings.SetAsync(models.A.Id, new ModelSettings(RuntimeFlags: [flag, "x"])));

        Assert.Contains("not allowed", exception.Message, StringComparison.Ordinal);
    }

    internal static async Task<string> CollectAsync(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var text = "";
        await foreach (var update in updates)
        {
            text += update.Text;
        }

        return text;
    }
}
