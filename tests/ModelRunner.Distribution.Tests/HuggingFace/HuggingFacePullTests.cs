using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Tests.HuggingFace;

/// <summary>Hugging Face pulls against a loopback server with the Hub's URL layout (the Hub itself is out of reach here).</summary>
public sealed class HuggingFacePullTests : IDisposable
{
    private const string Repository = "TestOrg/Tiny-GGUF";

    private static readonly HubFileSource[] Files =
    [
        new("README.md.gguf.txt", TinyModels.Path(1)),
        new("tiny-Q4_K_M.gguf", TinyModels.Path(1)),
        new("tiny-Q8_0.gguf", TinyModels.Path(2)),
        new("split/big-Q5_K_M-00001-of-00002.gguf", TinyModels.Path(3)),
        new("split/big-Q5_K_M-00002-of-00002.gguf", TinyModels.Path(4)),
        new("mmproj-tiny-Q8_0.gguf", TinyModels.Path(5)),
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PullAsync_Quantization_PicksThatFileAndPackagesIt()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files);
        using var distribution = Create(hub);

        var model = await distribution.PullModelAsync($"hf.co/{Repository}:Q8_0");

        Assert.Equal(["hf.co/testorg/tiny-gguf:Q8_0"], model.Tags);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(2)), await File.ReadAllBytesAsync(Assert.Single(model.GgufPaths)));
        Assert.Equal("gguf", model.Config.Format);
        Assert.Equal("llama", model.Config.Architecture);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), model.Created);
        Assert.Equal(model.Id, distribution.Store.Get($"huggingface.co/{Repository}:Q8_0").Id);
        Assert.True((await distribution.Store.VerifyAsync(repair: false)).Healthy);
    }

    [Fact]
    public async Task PullAsync_NoQuantization_PicksQ4KM()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files);
        using var distribution = Create(hub);

        var model = await distribution.PullModelAsync($"hf.co/{Repository}");

        Assert.Equal(["hf.co/testorg/tiny-gguf:latest"], model.Tags);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(1)), await File.ReadAllBytesAsync(Assert.Single(model.GgufPaths)));
    }

    [Fact]
    public async Task PullAsync_SplitModel_PullsEveryShardInOrder()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files);
        using var distribution = Create(hub);

        var model = await distribution.PullModelAsync($"hf.co/{Repository}:q5_k_m");

        Assert.Equal(2, model.GgufPaths.Count);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(3)), await File.ReadAllBytesAsync(model.GgufPaths[0]));
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(4)), await File.ReadAllBytesAsync(model.GgufPaths[1]));
    }

    [Fact]
    public async Task PullAsync_QuantizationTheRepositoryLacks_SaysWhatItHas()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files);
        using var distribution = Create(hub);

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => distribution.PullModelAsync($"hf.co/{Repository}:IQ2_XXS"));

        Assert.True(error.Remote);
        Assert.Contains("'IQ2_XXS'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tiny-Q8_0.gguf", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mmproj", error.Message, StringComparison.Ordinal);
        Assert.Empty(distribution.Store.List());
    }

    [Fact]
    public async Task PullAsync_UnknownRepository_IsRemoteNotFound()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files);
        using var distribution = Create(hub);

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => distribution.PullModelAsync("hf.co/TestOrg/Absent-GGUF"));

        Assert.True(error.Remote);
    }

    [Fact]
    public async Task PullAsync_GatedRepository_NeedsTheToken()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files, requiredToken: "hf_secret");
        using var anonymous = Create(hub);
        using var authorised = Create(hub, o => o.HuggingFaceToken = "hf_secret");

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => anonymous.PullModelAsync($"hf.co/{Repository}:Q8_0"));
        var model = await authorised.PullModelAsync($"hf.co/{Repository}:Q8_0");

        Assert.Contains("HF_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Equal(["hf.co/testorg/tiny-gguf:Q8_0"], model.Tags);
    }

    [Fact]
    public async Task PullAsync_SameCommitAgain_GivesTheSameIdWithoutDownloading()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files);
        using var distribution = Create(hub);
        var first = await distribution.PullModelAsync($"hf.co/{Repository}:Q8_0");
        var downloads = hub.Downloads;

        var second = await distribution.PullModelAsync($"hf.co/{Repository}:Q8_0");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(downloads, hub.Downloads);
    }

    [Fact]
    public async Task PullAsync_ServerIgnoresRange_RestartsFromTheStartAndVerifies()
    {
        await using var hub = await HubServer.StartAsync(Repository, Files, ignoreRange: true);
        using var distribution = Create(hub);
        var expected = await File.ReadAllBytesAsync(TinyModels.Path(2));
        var digest = ModelRunner.Distribution.References.OciDigest.Compute(expected);
        var partial = Path.Combine(distribution.Store.RootPath, "blobs", "sha256", digest.Hex + StoreLayout.PartialSuffix);
        await File.WriteAllBytesAsync(partial, expected[..(1024 * 1024)]);

        var model = await distribution.PullModelAsync($"hf.co/{Repository}:Q8_0");

        Assert.Equal(expected, await File.ReadAllBytesAsync(model.GgufPaths[0]));
        Assert.Equal(1, hub.Downloads);
        Assert.False(File.Exists(partial));
    }

    private IModelDistribution Create(HubServer hub, Action<ModelDistributionOptions>? configure = null) =>
        Distributions.Create(_folder.Combine($"store-{Guid.NewGuid():N}"), o =>
        {
            o.HuggingFaceEndpoint = hub.BaseUri;
            configure?.Invoke(o);
        });
}
