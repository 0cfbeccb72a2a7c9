using System.Text.RegularExpressions;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Testing;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;
using ModelRunner.Grains.Pulls;

namespace ModelRunner.Grains.Tests.Pulls;

[Collection(StoredModelsCollection.Name)]
public sealed partial class PullGrainTests(StoredModels models)
{
    [GeneratedRegex(@"msg=""response completed""[^\n]*http\.request\.method=GET [^\n]*http\.request\.uri=""/v2/pulls/tiny/blobs/(sha256:[0-9a-f]{64})""")]
    private static partial Regex BlobGet();

    [Fact]
    public async Task PullAsync_TwoCallersAtOnce_ShareOneDownloadAndBothSeeItSucceed()
    {
        await using var registry = await RegistryServer.StartAsync();
        var reference = $"{registry.Host}/pulls/tiny:v1";
        var publisherFolder = Path.Combine(models.Folder, "publisher-" + Guid.NewGuid().ToString("N"));
        var gguf = Path.Combine(models.Folder, "to-publish.gguf");
        TestModelBuilder.Write(gguf, TestModelShape.Tiny, LlamaFileType.MostlyF16, 11);
        using (var publisher = ModelDistribution.Create(new ModelDistributionOptions { StorePath = publisherFolder }))
        {
            await publisher.PackageAsync(new PackageRequest { GgufPaths = [gguf], Tags = [reference] });
            await publisher.PushModelAsync(reference);
        }

        await using var host = await GrainsHost.StartAsync(models);
        var pull = host.Grains.GetGrain<IPullGrain>(reference);
        var logBefore = registry.Log.Length;
        var callers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var events = new List<PullProgress>();
            await foreach (var progress in pull.PullAsync())
            {
                events.Add(progress);
            }

            return events;
        })));

        Assert.All(callers, events => Assert.Equal(PullProgressKind.Success, events[^1].Kind));
        // The registry's log of completed requests: every blob was downloaded exactly once for both callers.
        var blobGets = BlobGet().Matches(registry.Log[logBefore..]).Select(match => match.Groups[1].Value).ToList();
        Assert.NotEmpty(blobGets);
        Assert.All(blobGets.GroupBy(digest => digest), digest => Assert.Single(digest));
        Assert.Equal(callers[0][^1].ModelId, callers[1][^1].ModelId);
        Assert.Equal(callers[0][^1].ModelId, models.Distribution.Store.Get(reference).Id);
    }

    [Fact]
    public async Task PullAsync_UnknownModel_FailsEveryCaller()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var host = await GrainsHost.StartAsync(models);

        await Assert.ThrowsAsync<ModelNotFoundException>(async () =>
        {
            await foreach (var _ in host.Grains.GetGrain<IPullGrain>($"{registry.Host}/missing/model:v1").PullAsync())
            {
            }
        });
    }
}
