using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Tests.Registry;

[Collection(RegistryCollection.Name)]
public sealed class RegistryRoundTripTests : IDisposable
{
    private readonly RegistryServer _registry;
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _publisher;
    private readonly IModelDistribution _consumer;

    public RegistryRoundTripTests(RegistryFixture fixture)
    {
        _registry = fixture.Server;
        _publisher = Distributions.Create(_folder.Combine("publisher"));
        _consumer = Distributions.Create(_folder.Combine("consumer"));
    }

    public void Dispose()
    {
        _publisher.Dispose();
        _consumer.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PushThenPull_AfterRemove_GivesByteIdenticalModel()
    {
        var reference = $"{_registry.Host}/roundtrip/tiny:v1";
        var packaged = await _publisher.PackageTinyAsync(reference);
        await _publisher.PushModelAsync(reference);
        _publisher.Store.Remove(reference);
        Assert.Empty(_publisher.Store.List());

        var pulled = await _publisher.PullModelAsync(reference);

        Assert.Equal(packaged.Id, pulled.Id);
        Assert.Equal([reference], pulled.Tags);
        Assert.Equal(packaged.Config.Gguf, pulled.Config.Gguf);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path()), await File.ReadAllBytesAsync(Assert.Single(pulled.GgufPaths)));
        Assert.True((await _publisher.Store.VerifyAsync(repair: false)).Healthy);
    }

    [Fact]
    public async Task PullAsync_ByDigest_StoresUntaggedModelFoundByDigest()
    {
        var tag = $"{_registry.Host}/bydigest/tiny:v1";
        var packaged = await _publisher.PackageTinyAsync(tag);
        await _publisher.PushModelAsync(tag);
        var byDigest = $"{_registry.Host}/bydigest/tiny@{packaged.Id}";

        var pulled = await _consumer.PullModelAsync(byDigest);

        Assert.Equal(packaged.Id, pulled.Id);
        Assert.Empty(pulled.Tags);
        Assert.Equal(pulled.Id, _consumer.Store.Get(byDigest).Id);
        Assert.Null(_consumer.Store.Find(tag));
    }

    [Fact]
    public async Task PullAsync_TagAndDigest_TagsTheModel()
    {
        var tag = $"{_registry.Host}/tagdigest/tiny:v1";
        var packaged = await _publisher.PackageTinyAsync(tag);
        await _publisher.PushModelAsync(tag);

        var pulled = await _consumer.PullModelAsync($"{tag}@{packaged.Id}");

        Assert.Equal([tag], pulled.Tags);
    }

    [Fact]
    public async Task PullAsync_DigestThatDoesNotMatchTheTag_IsNotFound()
    {
        var tag = $"{_registry.Host}/wrongdigest/tiny:v1";
        await _publisher.PackageTinyAsync(tag);
        await _publisher.PushModelAsync(tag);

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(
            () => _consumer.PullModelAsync($"{_registry.Host}/wrongdigest/tiny@sha256:{new string('0', 64)}"));

        Assert.True(error.Remote);
        Assert.Empty(_consumer.Store.List());
    }

    [Fact]
    public async Task PullAsync_UnknownTag_IsRemoteNotFound()
    {
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => _consumer.PullModelAsync($"{_registry.Host}/nothing/here:v1"));

        Assert.True(error.Remote);
        Assert.Contains("nothing/here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_ModelAlreadyPresent_IsUpToDateWithoutDownloading()
    {
        await using var proxy = new TcpProxy(_registry.Port);
        var reference = $"{proxy.Host}/again/tiny:v1";
        await _publisher.PackageTinyAsync(reference);
        await _publisher.PushModelAsync(reference);
        proxy.ResetCounters();

        var events = new List<TransferEvent>();
        await _publisher.PullModelAsync(reference, new EventLog(events));

        Assert.Contains("up to date", events[^1].Message, StringComparison.Ordinal);
        Assert.InRange(proxy.BytesToClient, 1, 64 * 1024);
    }

    [Fact]
    public async Task PullAsync_Events_ReportEveryBlobAndEndWithSuccess()
    {
        var reference = $"{_registry.Host}/events/tiny:v1";
        var packaged = await _publisher.PackageTinyAsync(reference);
        await _publisher.PushModelAsync(reference);

        var events = new List<TransferEvent>();
        await foreach (var item in _consumer.PullAsync(reference))
        {
            events.Add(item);
        }

        Assert.Equal(TransferEventKind.Status, events[0].Kind);
        var last = events[^1];
        Assert.Equal(TransferEventKind.Success, last.Kind);
        Assert.Equal(packaged.Id, last.Model?.Id);
        Assert.Equal(packaged.Size, last.Total);
        Assert.Equal(packaged.Size, last.Completed);
        var finals = events.Where(e => e.Layer is { } l && l.Current == l.Size).Select(e => e.Layer!.Digest).ToArray();
        Assert.Equal(2, finals.Distinct().Count());
        Assert.Contains(events, e => e.Layer?.MediaType == ModelMediaTypes.Gguf);
        Assert.All(events.Where(e => e.Layer is not null), e => Assert.InRange(e.Layer!.Current, 0, e.Layer.Size));
    }

    [Fact]
    public async Task PushAsync_InChunks_RoundTrips()
    {
        using var chunked = Distributions.Create(_folder.Combine("chunked"), o => o.PushChunkSize = 1024 * 1024);
        var reference = $"{_registry.Host}/chunked/tiny:v1";
        var packaged = await chunked.PackageTinyAsync(reference, seed: 3);

        var events = new List<TransferEvent>();
        await chunked.PushModelAsync(reference, new EventLog(events));
        var pulled = await _consumer.PullModelAsync(reference);

        Assert.Equal(packaged.Id, pulled.Id);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(3)), await File.ReadAllBytesAsync(pulled.GgufPaths[0]));
        Assert.True(events.Count(e => e.Layer?.MediaType == ModelMediaTypes.Gguf) > 3);
    }

    [Fact]
    public async Task PushAsync_SameModelToAnotherRepository_MountsInsteadOfUploading()
    {
        await using var proxy = new TcpProxy(_registry.Port);
        var first = $"{proxy.Host}/mount-a/tiny:v1";
        var second = $"{proxy.Host}/mount-b/tiny:v1";
        var model = await _publisher.PackageTinyAsync(first, seed: 4);
        await _publisher.PushModelAsync(first);
        _publisher.Store.Tag(first, second);
        proxy.ResetCounters();

        var events = new List<TransferEvent>();
        await _publisher.PushModelAsync(second, new EventLog(events));

        Assert.InRange(proxy.BytesToServer, 1, model.Size / 10);
        Assert.Contains(events, e => e.Message.StartsWith("Mounted", StringComparison.Ordinal));
        Assert.Equal(model.Id, (await _consumer.PullModelAsync(second)).Id);
    }

    [Fact]
    public async Task PushAsync_UntaggedName_IsNotFoundLocally() =>
        await Assert.ThrowsAsync<ModelNotFoundException>(() => _publisher.PushModelAsync($"{_registry.Host}/absent/tiny:v1"));

    [Fact]
    public async Task PullAsync_Mirror_FetchesThereAndTagsTheOriginalName()
    {
        await _publisher.PackageTinyAsync($"{_registry.Host}/ai/mirrored:v1", seed: 5);
        await _publisher.PushModelAsync($"{_registry.Host}/ai/mirrored:v1");

        var pulled = await _consumer.PullModelAsync("ai/mirrored:v1", options: new PullOptions { Mirror = _registry.BaseUri });

        Assert.Equal(["ai/mirrored:v1"], pulled.Tags);
        Assert.Equal(pulled.Id, _consumer.Store.Get("mirrored:v1").Id);
    }

    [Fact]
    public async Task InspectRemoteAsync_PushedModel_DescribesItWithoutPulling()
    {
        var reference = $"{_registry.Host}/inspect/tiny:v1";
        var packaged = await _publisher.PackageTinyAsync(reference, contextSize: 512);
        await _publisher.PushModelAsync(reference);

        var remote = await _consumer.InspectRemoteAsync(reference);

        Assert.Equal(packaged.Id, remote.Id);
        Assert.Equal(512, remote.Config.ContextSize);
        Assert.Equal("F16", remote.Config.Quantization);
        Assert.Equal(packaged.Size, remote.Size);
        Assert.Equal(Packages.Created, remote.Created);
        Assert.Empty(_consumer.Store.List());
    }

    [Fact]
    public void PullAsync_ModelId_IsRefusedAtTheCall() =>
        Assert.Throws<ModelRunner.Distribution.References.InvalidReferenceException>(() => _consumer.PullAsync($"sha256:{new string('a', 64)}"));
}
