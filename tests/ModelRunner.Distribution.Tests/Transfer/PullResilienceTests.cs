using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Tests.Transfer;

/// <summary>Pulls from the real registry through a proxy that breaks the connection in the ways networks do.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PullResilienceTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    private readonly RegistryServer _registry;
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _publisher;

    public PullResilienceTests(RegistryFixture fixture)
    {
        _registry = fixture.Server;
        _publisher = Distributions.Create(_folder.Combine("publisher"));
    }

    public void Dispose()
    {
        _publisher.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PullAsync_ConnectionCutAtRandomPoints_CompletesAndVerifies()
    {
        var (repository, model) = await PublishAsync("cuts", seed: 1);
        var random = new Random(20250102);
        var cutPoints = Enumerable.Range(0, 60).Select(_ => (long)random.Next(40_000, 160_000)).ToArray();
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior
        {
            CutAfter = connection => connection < cutPoints.Length ? cutPoints[connection] : null,
            Abortive = connection => connection % 2 == 1,
        });
        using var consumer = Distributions.Create(_folder.Combine("consumer"));
        var events = new List<TransferEvent>();

        var pulled = await consumer.PullModelAsync($"{proxy.Host}/{repository}", new EventLog(events));

        Assert.True(proxy.Cuts >= 20, $"the proxy cut only {proxy.Cuts} connections");
        Assert.Equal(model.Id, pulled.Id);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(1)), await File.ReadAllBytesAsync(pulled.GgufPaths[0]));
        Assert.True((await consumer.Store.VerifyAsync(repair: false)).Healthy);
        Assert.True(events.Count(e => e.Kind == TransferEventKind.Warning) >= 20);
    }

    [Fact]
    public async Task PullAsync_ProxyCorruptsAByte_FailsWithDigestErrorAndAddsNothing()
    {
        var (repository, _) = await PublishAsync("corrupt", seed: 1);
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { CorruptAt = MiB });
        using var consumer = Distributions.Create(_folder.Combine("consumer"));
        var before = Files(consumer.Store.RootPath);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => consumer.PullModelAsync($"{proxy.Host}/{repository}"));

        Assert.Contains("wrong content", error.Message, StringComparison.Ordinal);
        Assert.Empty(consumer.Store.List());
        Assert.Equal(before, Files(consumer.Store.RootPath));
    }

    [Fact]
    public async Task PullAsync_ConnectionStalls_ReconnectsAfterStallTimeoutAndCompletes()
    {
        var (repository, model) = await PublishAsync("stall", seed: 1);
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { StallAfter = connection => connection < 3 ? 512 * 1024 : null });
        using var consumer = Distributions.Create(_folder.Combine("consumer"), o => o.StallTimeout = TimeSpan.FromSeconds(1));
        var events = new List<TransferEvent>();

        var pulled = await consumer.PullModelAsync($"{proxy.Host}/{repository}", new EventLog(events));

        Assert.Equal(model.Id, pulled.Id);
        Assert.Contains(events, e => e.Kind == TransferEventKind.Warning && e.Message.Contains("stalled", StringComparison.Ordinal));
        Assert.True((await consumer.Store.VerifyAsync(repair: false)).Healthy);
    }

    [Fact]
    public async Task PullAsync_ProcessKilledMidBlob_NextPullResumesFromThePartialFile()
    {
        var (repository, model) = await PublishAsync("kill", seed: 1);
        var gguf = Path.GetFileName(model.GgufPaths[0]);
        var size = new FileInfo(TinyModels.Path(1)).Length;
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { BytesPerSecond = 2 * MiB });
        var store = _folder.Combine("consumer");

        using (var child = ChildPull.Start(store, $"{proxy.Host}/{repository}"))
        {
            await child.WaitForLineAsync(
                line => line.StartsWith($"progress sha256:{gguf} ", StringComparison.Ordinal) && long.Parse(line.Split(' ')[2]) >= MiB,
                TimeSpan.FromSeconds(60),
                "1 MiB of the GGUF blob");
            child.Kill();
        }

        var partial = new FileInfo(Path.Combine(store, "blobs", "sha256", gguf + StoreLayout.PartialSuffix));
        Assert.True(partial.Exists, "the killed pull left no partial file");
        Assert.InRange(partial.Length, MiB, size - 1);
        proxy.Behavior = ProxyBehavior.PassThrough;
        proxy.ResetCounters();
        using var consumer = Distributions.Create(store);
        var events = new List<TransferEvent>();

        var pulled = await consumer.PullModelAsync($"{proxy.Host}/{repository}", new EventLog(events));

        Assert.Equal(model.Id, pulled.Id);
        Assert.Contains(events, e => e.Message.StartsWith($"Resuming {gguf[..12]} from {partial.Length}", StringComparison.Ordinal));
        Assert.True(proxy.BytesToClient < size, $"resuming re-sent {proxy.BytesToClient} bytes of a {size}-byte blob");
        Assert.True(proxy.BytesToClient >= size - partial.Length);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(1)), await File.ReadAllBytesAsync(pulled.GgufPaths[0]));
    }

    [Fact]
    public async Task PullAsync_CancelledMidBlob_KeepsThePartialFileForTheNextPull()
    {
        var (repository, model) = await PublishAsync("cancel", seed: 1);
        var size = new FileInfo(TinyModels.Path(1)).Length;
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { BytesPerSecond = 2 * MiB });
        using var consumer = Distributions.Create(_folder.Combine("consumer"));
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in consumer.PullAsync($"{proxy.Host}/{repository}", cancellationToken: cancel.Token))
            {
                if (item.Layer is { Current: >= MiB } layer && layer.Size == size)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Empty(consumer.Store.List());
        proxy.Behavior = ProxyBehavior.PassThrough;
        proxy.ResetCounters();
        var pulled = await consumer.PullModelAsync($"{proxy.Host}/{repository}");
        Assert.Equal(model.Id, pulled.Id);
        Assert.True(proxy.BytesToClient < size, $"the second pull downloaded {proxy.BytesToClient} bytes of a {size}-byte blob");
    }

    [Fact]
    public async Task PullAsync_SameReferenceTwiceAtOnceSpelledDifferently_DownloadsOnce()
    {
        var (repository, model) = await PublishAsync("concurrent", seed: 1);
        var size = new FileInfo(TinyModels.Path(1)).Length;
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { BytesPerSecond = 8 * MiB });
        using var consumer = Distributions.Create(_folder.Combine("consumer"));
        var reference = $"{proxy.Host}/{repository}";
        var first = new List<TransferEvent>();
        var second = new List<TransferEvent>();

        var pulls = await Task.WhenAll(
            consumer.PullModelAsync(reference, new EventLog(first)),
            consumer.PullModelAsync($"{proxy.Host}/Resilience/Concurrent:v1", new EventLog(second)));

        Assert.All(pulls, p => Assert.Equal(model.Id, p.Id));
        Assert.Equal(1, ((DistributionService)consumer).Transfers.Started);
        Assert.InRange(proxy.BytesToClient, size, size + (size / 2));
        Assert.Contains(second, e => e.Layer is { } l && l.Size == size && l.Current < size);
        Assert.Equal(TransferEventKind.Success, second[^1].Kind);
    }

    [Fact]
    public async Task PullAsync_TwoModelsSharingALayerAtOnce_DownloadTheLayerOnce()
    {
        var size = new FileInfo(TinyModels.Path(1)).Length;
        var small = await _publisher.PackageTinyAsync($"{_registry.Host}/resilience/shared:small", seed: 1, contextSize: 128);
        var large = await _publisher.PackageTinyAsync($"{_registry.Host}/resilience/shared:large", seed: 1, contextSize: 256);
        await _publisher.PushModelAsync($"{_registry.Host}/resilience/shared:small");
        await _publisher.PushModelAsync($"{_registry.Host}/resilience/shared:large");
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { BytesPerSecond = 8 * MiB });
        using var consumer = Distributions.Create(_folder.Combine("consumer"));

        var pulls = await Task.WhenAll(
            consumer.PullModelAsync($"{proxy.Host}/resilience/shared:small"),
            consumer.PullModelAsync($"{proxy.Host}/resilience/shared:large"));

        Assert.Equal([small.Id, large.Id], pulls.Select(p => p.Id));
        Assert.Equal(pulls[0].GgufPaths, pulls[1].GgufPaths);
        Assert.InRange(proxy.BytesToClient, size, size + (size / 2));
    }

    [Fact]
    public async Task PullAsync_DiskTooSmall_RefusesBeforeWritingAndLeavesTheStoreAsItWas()
    {
        var (repository, _) = await PublishAsync("small-disk", seed: 1);
        using var disk = SizeLimitedFolder.Mount(2 * MiB);
        using var consumer = Distributions.Create(Path.Combine(disk.Path, "store"));
        var before = Files(consumer.Store.RootPath);

        var error = await Assert.ThrowsAsync<StorageFullException>(() => consumer.PullModelAsync($"{_registry.Host}/{repository}"));

        Assert.Contains("MiB are free", error.Message, StringComparison.Ordinal);
        Assert.Empty(consumer.Store.List());
        Assert.Equal(before, Files(consumer.Store.RootPath));
    }

    [Fact]
    public async Task PullAsync_DiskFillsUpMidBlob_FailsClearlyAndLeavesTheStoreAsItWas()
    {
        var (repository, model) = await PublishAsync("full-disk", seed: 9);
        var size = new FileInfo(TinyModels.Path(9)).Length;
        using var disk = SizeLimitedFolder.Mount(16 * MiB);
        await using var proxy = new TcpProxy(_registry.Port, new ProxyBehavior { BytesPerSecond = 4 * MiB });
        using var consumer = Distributions.Create(Path.Combine(disk.Path, "store"));
        var existing = await consumer.PackageTinyAsync("ai/existing", seed: 1);
        var before = Files(consumer.Store.RootPath);

        var error = await Assert.ThrowsAsync<StorageFullException>(async () =>
        {
            var filled = false;
            await foreach (var item in consumer.PullAsync($"{proxy.Host}/{repository}"))
            {
                if (!filled && item.Layer is { Current: >= MiB } layer && layer.Size == size)
                {
                    // The pull checked the free space when it started; now the disk fills up under it.
                    disk.Fill("filler.bin");
                    filled = true;
                }
            }
        });

        Assert.Contains("no space left", error.Message, StringComparison.Ordinal);
        Assert.Equal([existing.Id], consumer.Store.List().Select(m => m.Id));
        Assert.Equal(before, Files(consumer.Store.RootPath));
        Assert.True((await consumer.Store.VerifyAsync(repair: false)).Healthy);

        File.Delete(Path.Combine(disk.Path, "filler.bin"));
        proxy.Behavior = ProxyBehavior.PassThrough;
        Assert.Equal(model.Id, (await consumer.PullModelAsync($"{proxy.Host}/{repository}")).Id);
    }

    /// <summary>Packages a tiny model and pushes it to the registry; returns its repository:tag and the model.</summary>
    private async Task<(string Repository, LocalModel Model)> PublishAsync(string name, ulong seed)
    {
        var repository = $"resilience/{name}:v1";
        var model = await _publisher.PackageTinyAsync($"{_registry.Host}/{repository}", seed);
        await _publisher.PushModelAsync($"{_registry.Host}/{repository}");
        return (repository, model);
    }

    /// <summary>Every file under the store with its size: what "the store is unchanged" compares.</summary>
    private static string[] Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => $"{Path.GetRelativePath(root, f)} {new FileInfo(f).Length}")];
}
