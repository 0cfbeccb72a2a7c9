using System.Text;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Tests.Store;

public sealed class LocalModelStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _distribution;

    public LocalModelStoreTests() => _distribution = Distributions.Create(StorePath);

    private string StorePath => _folder.Combine("store");

    private IModelStore Store => _distribution.Store;

    public void Dispose()
    {
        _distribution.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Get_ShortNameIdShortIdAndDigest_FindTheSameModel()
    {
        var model = await _distribution.PackageTinyAsync("smollm2");
        var hex = model.Id["sha256:".Length..];

        Assert.Equal(["ai/smollm2:latest"], model.Tags);
        foreach (var reference in new[] { "smollm2", "ai/smollm2", "ai/smollm2:latest", "index.docker.io/ai/smollm2:latest", model.Id, hex, model.ShortId, $"ai/smollm2@{model.Id}" })
        {
            Assert.Equal(model.Id, Store.Get(reference).Id);
        }
    }

    [Fact]
    public async Task Find_UnknownModel_IsNullAndGetSaysNotInStore()
    {
        await _distribution.PackageTinyAsync("ai/present");

        Assert.Null(Store.Find("ai/absent"));
        var error = Assert.Throws<ModelNotFoundException>(() => Store.Get("ai/absent"));
        Assert.False(error.Remote);
        Assert.Contains("ai/absent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_TwoModels_InOrderAdded()
    {
        var first = await _distribution.PackageTinyAsync("ai/first", seed: 1);
        var second = await _distribution.PackageTinyAsync("ai/second", seed: 2);

        Assert.Equal([first.Id, second.Id], Store.List().Select(m => m.Id));
    }

    [Fact]
    public async Task Tag_ExistingTag_MovesToTheNamedModel()
    {
        var first = await _distribution.PackageTinyAsync("ai/model:v1", seed: 1);
        var second = await _distribution.PackageTinyAsync("ai/other", seed: 2);

        var tagged = Store.Tag("ai/other", "ai/model:v1");

        Assert.Equal(["ai/other:latest", "ai/model:v1"], tagged.Tags);
        Assert.Empty(Store.Get(first.Id).Tags);
        Assert.Equal(second.Id, Store.Get("ai/model:v1").Id);
    }

    [Fact]
    public async Task Tag_DigestAsTarget_IsRefused()
    {
        var model = await _distribution.PackageTinyAsync("ai/model");

        Assert.Throws<InvalidReferenceException>(() => Store.Tag("ai/model", $"ai/model@{model.Id}"));
    }

    [Fact]
    public async Task Remove_OneOfTwoTags_UntagsAndKeepsTheModel()
    {
        var model = await _distribution.PackageTinyAsync("ai/model:a");
        Store.Tag("ai/model:a", "ai/model:b");

        var result = Store.Remove("ai/model:a");

        Assert.Equal(["ai/model:a"], result.Untagged);
        Assert.Null(result.DeletedId);
        Assert.Equal(["ai/model:b"], Store.Get(model.Id).Tags);
        Assert.True(File.Exists(model.GgufPaths[0]));
    }

    [Fact]
    public async Task Remove_LastTag_DeletesTheModelAndItsFiles()
    {
        var model = await _distribution.PackageTinyAsync("ai/model");

        var result = Store.Remove("ai/model");

        Assert.Equal(model.Id, result.DeletedId);
        Assert.Empty(Store.List());
        Assert.False(File.Exists(model.GgufPaths[0]));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(StorePath, "blobs", "sha256")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(StorePath, "manifests", "sha256")));
    }

    [Fact]
    public async Task Remove_IdOfModelWithSeveralTags_ConflictsUnlessForced()
    {
        var model = await _distribution.PackageTinyAsync("ai/model:a");
        Store.Tag(model.Id, "ai/model:b");

        var conflict = Assert.Throws<ModelConflictException>(() => Store.Remove(model.Id));
        Assert.Contains("ai/model:a, ai/model:b", conflict.Message, StringComparison.Ordinal);
        Assert.NotNull(Store.Find(model.Id));

        var result = Store.Remove(model.ShortId, force: true);
        Assert.Equal(["ai/model:a", "ai/model:b"], result.Untagged);
        Assert.Equal(model.Id, result.DeletedId);
        Assert.Empty(Store.List());
    }

    [Fact]
    public async Task Remove_ModelSharingAGgufBlob_KeepsTheBlobForTheOther()
    {
        var small = await _distribution.PackageTinyAsync("ai/model:small", contextSize: 128);
        var large = await _distribution.PackageTinyAsync("ai/model:large", contextSize: 256);
        Assert.NotEqual(small.Id, large.Id);
        Assert.Equal(small.GgufPaths, large.GgufPaths);

        Store.Remove("ai/model:small");

        Assert.True(File.Exists(large.GgufPaths[0]));
        Assert.Equal(256, Store.Get("ai/model:large").Config.ContextSize);
    }

    [Fact]
    public void Remove_UnknownModel_IsNotFound() =>
        Assert.Throws<ModelNotFoundException>(() => Store.Remove("ai/absent"));

    [Fact]
    public async Task Purge_StoreWithModels_LeavesItEmpty()
    {
        var first = await _distribution.PackageTinyAsync("ai/one", seed: 1);
        var second = await _distribution.PackageTinyAsync("ai/two", seed: 2);

        var purged = Store.Purge();

        Assert.Equal([first.Id, second.Id], purged);
        Assert.Empty(Store.List());
        Assert.Equal(0, Store.GetUsage().Models);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(StorePath, "blobs", "sha256")));
    }

    [Fact]
    public async Task GetUsage_ModelsAndPartialDownload_AreCountedApart()
    {
        var model = await _distribution.PackageTinyAsync("ai/model");
        await File.WriteAllBytesAsync(Path.Combine(StorePath, "blobs", "sha256", new string('a', 64) + ".incomplete"), new byte[1000]);

        var usage = Store.GetUsage();

        Assert.Equal(1, usage.Models);
        Assert.InRange(usage.ModelBytes, model.Size, model.Size + 100_000);
        Assert.Equal(1000, usage.IncompleteBytes);
        Assert.Equal(usage.ModelBytes + 1000 + usage.OtherBytes, usage.TotalBytes);
    }

    [Fact]
    public async Task VerifyAsync_HealthyStore_ReportsNoProblem()
    {
        var model = await _distribution.PackageTinyAsync("ai/model");

        var report = await Store.VerifyAsync(repair: false);

        Assert.True(report.Healthy);
        Assert.Equal(2, report.BlobsChecked);
        Assert.Equal(model.Size, report.BytesChecked);
    }

    [Fact]
    public async Task VerifyAsync_CorruptGguf_ReportsItAndRepairRemovesTheModel()
    {
        var broken = await _distribution.PackageTinyAsync("ai/broken", seed: 1);
        var healthy = await _distribution.PackageTinyAsync("ai/healthy", seed: 2);
        await using (var file = new FileStream(broken.GgufPaths[0], FileMode.Open, FileAccess.Write))
        {
            file.Position = 1000;
            file.WriteByte(0xFF);
        }

        var report = await Store.VerifyAsync(repair: false);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(IntegrityProblemKind.CorruptBlob, problem.Kind);
        Assert.Equal([broken.Id], problem.ModelIds);
        Assert.NotNull(Store.Find("ai/broken"));

        var repaired = await Store.VerifyAsync(repair: true);

        Assert.Equal([broken.Id], repaired.RemovedModels);
        Assert.Null(Store.Find("ai/broken"));
        Assert.False(File.Exists(broken.GgufPaths[0]));
        Assert.Equal(healthy.Id, Store.Get("ai/healthy").Id);
        Assert.True((await Store.VerifyAsync(repair: false)).Healthy);
    }

    [Fact]
    public async Task VerifyAsync_MissingBlob_ReportsTheModel()
    {
        var model = await _distribution.PackageTinyAsync("ai/model");
        File.Delete(model.GgufPaths[0]);

        var report = await Store.VerifyAsync(repair: false);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(IntegrityProblemKind.MissingBlob, problem.Kind);
        Assert.Contains("is missing", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FilesOfAnUncommittedWrite_AreInvisibleAndCollectedLater()
    {
        // What a crash after the blobs and the manifest, before the index, leaves behind.
        var model = await _distribution.PackageTinyAsync("ai/model");
        var manifest = Store.FindManifest(model.Id)!;
        Store.Remove("ai/model");
        var manifestPath = Path.Combine(StorePath, "manifests", "sha256", model.Id[7..]);
        await File.WriteAllBytesAsync(manifestPath, manifest.Content.ToArray());
        File.Copy(TinyModels.Path(), model.GgufPaths[0]);
        await File.WriteAllTextAsync(Path.Combine(StorePath, "tmp", "leftover.tmp"), "half");

        using var reopened = Distributions.Create(StorePath);

        Assert.Empty(reopened.Store.List());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(StorePath, "tmp")));
        var report = await reopened.Store.VerifyAsync(repair: true);
        Assert.True(report.Healthy);
        Assert.False(File.Exists(manifestPath));
        Assert.False(File.Exists(model.GgufPaths[0]));
    }

    [Fact]
    public async Task Open_PartialDownloadUntouchedForAWeek_IsDeletedAndARecentOneKept()
    {
        var blobs = Path.Combine(StorePath, "blobs", "sha256");
        var stale = Path.Combine(blobs, new string('a', 64) + StoreLayout.PartialSuffix);
        var recent = Path.Combine(blobs, new string('b', 64) + StoreLayout.PartialSuffix);
        await File.WriteAllBytesAsync(stale, new byte[100]);
        await File.WriteAllBytesAsync(recent, new byte[100]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromDays(8));

        using var reopened = Distributions.Create(StorePath);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public async Task Open_NonEmptyFolderThatIsNoStore_IsRefused()
    {
        var folder = _folder.Combine("documents");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "thesis.txt"), "precious");

        var error = Assert.Throws<DistributionException>(() => ModelStore.Open(folder));

        Assert.Contains("not a model store", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "thesis.txt")));
    }

    [Fact]
    public async Task Open_CorruptIndex_SaysWhichFile()
    {
        await _distribution.PackageTinyAsync("ai/model");
        await File.WriteAllTextAsync(Path.Combine(StorePath, "models.json"), "{ not json");

        var error = Assert.Throws<DistributionException>(() => Store.List());

        Assert.Contains("models.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenBlob_StoredGguf_IsSeekableForRangeRequests()
    {
        var model = await _distribution.PackageTinyAsync("ai/model");
        var digest = OciDigest.FromHex(Path.GetFileName(model.GgufPaths[0]));
        var expected = await File.ReadAllBytesAsync(TinyModels.Path());

        await using var blob = Store.OpenBlob(digest)!;
        blob.Position = 1000;
        var range = new byte[100];
        await blob.ReadExactlyAsync(range);

        Assert.True(blob.CanSeek);
        Assert.Equal(expected.Length, blob.Length);
        Assert.Equal(expected.AsSpan(1000, 100).ToArray(), range);
        Assert.Null(Store.OpenBlob(OciDigest.Compute(Encoding.UTF8.GetBytes("absent"))));
    }

    [Fact]
    public async Task FindManifest_TagOrDigest_ReturnsTheStoredBytes()
    {
        var model = await _distribution.PackageTinyAsync("ai/model:v1");

        var byTag = Store.FindManifest("ai/model:v1")!;
        var byDigest = Store.FindManifest($"ai/model@{model.Id}")!;

        Assert.Equal(model.Id, OciDigest.Compute(byTag.Content.Span).ToString());
        Assert.Equal(byTag.Content.ToArray(), byDigest.Content.ToArray());
        Assert.Null(Store.FindManifest("ai/model:v2"));
    }
}
