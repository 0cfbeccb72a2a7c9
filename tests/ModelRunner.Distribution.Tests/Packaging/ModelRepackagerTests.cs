using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;

namespace ModelRunner.Distribution.Tests.Packaging;

public sealed class ModelRepackagerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _distribution;

    public ModelRepackagerTests() => _distribution = Distributions.Create(_folder.Combine("store"));

    public void Dispose()
    {
        _distribution.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task RepackageAsync_ContextSize_MakesAVariantOverTheSameWeights()
    {
        var source = await _distribution.PackageTinyAsync("me/tiny:v1");

        var variant = await _distribution.RepackageAsync("me/tiny:v1", new RepackageRequest { Tags = ["me/tiny:8k"], ContextSize = 8192 });
        var again = await _distribution.RepackageAsync("me/tiny:v1", new RepackageRequest { Tags = ["me/tiny:8k-again"], ContextSize = 8192 });

        Assert.NotEqual(source.Id, variant.Id);
        Assert.Equal(8192, variant.Config.ContextSize);
        Assert.Equal(source.Config.ContextSize, _distribution.Store.Get("me/tiny:v1").Config.ContextSize);
        Assert.Equal(source.GgufPaths, variant.GgufPaths);
        Assert.Equal(variant.Id, again.Id);
        Assert.Equal(["me/tiny:8k", "me/tiny:8k-again"], _distribution.Store.Get(variant.Id).Tags);
    }

    [Fact]
    public async Task RepackageAsync_ChatTemplate_ReplacesTheTemplateLayer()
    {
        var template = _folder.Combine("first.jinja");
        await File.WriteAllTextAsync(template, "{{ first }}");
        await _distribution.PackageAsync(new PackageRequest { GgufPaths = [TinyModels.Path()], ChatTemplatePath = template, Tags = ["me/tiny:templated"], Created = Packages.Created });

        var variant = await _distribution.RepackageAsync("me/tiny:templated", new RepackageRequest { Tags = ["me/tiny:retemplated"], ChatTemplate = "{{ second }}" });

        Assert.Equal("{{ second }}", await File.ReadAllTextAsync(variant.ChatTemplatePath!));
        Assert.Equal("{{ first }}", await File.ReadAllTextAsync(_distribution.Store.Get("me/tiny:templated").ChatTemplatePath!));
    }

    [Fact]
    public async Task RepackageAsync_Licenses_AreAddedAsLayers()
    {
        var source = await _distribution.PackageTinyAsync("me/tiny:v1");

        var licensed = await _distribution.RepackageAsync("me/tiny:v1", new RepackageRequest { Tags = ["me/tiny:licensed"], Licenses = ["MIT", "Apache-2.0"] });

        Assert.Empty(source.LicensePaths);
        Assert.Equal(["MIT", "Apache-2.0"], licensed.LicensePaths.Select(File.ReadAllText));
        Assert.Equal(source.GgufPaths, licensed.GgufPaths);
    }

    [Fact]
    public async Task RepackageAsync_ToCncfAndBack_KeepsTheWeights()
    {
        var source = await _distribution.PackageTinyAsync("me/tiny:docker");

        var pack = await _distribution.RepackageAsync("me/tiny:docker", new RepackageRequest { Tags = ["me/tiny:cncf"], Format = ArtifactFormat.ModelPack });
        var back = await _distribution.RepackageAsync("me/tiny:cncf", new RepackageRequest { Tags = ["me/tiny:docker-again"], Format = ArtifactFormat.Docker });

        Assert.Equal(ArtifactFormat.ModelPack, pack.Format);
        Assert.Equal(ArtifactFormat.Docker, back.Format);
        Assert.Equal(source.GgufPaths, pack.GgufPaths);
        Assert.Equal(source.GgufPaths, back.GgufPaths);
        Assert.Equal(source.Config.Quantization, back.Config.Quantization);
    }

    [Fact]
    public async Task RepackageAsync_UnknownSource_IsNotFound_AndBadSizesAreRefused()
    {
        await _distribution.PackageTinyAsync("me/tiny:v1");

        await Assert.ThrowsAsync<ModelNotFoundException>(() => _distribution.RepackageAsync("me/absent:v1", new RepackageRequest { Tags = ["me/x:v1"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => _distribution.RepackageAsync("me/tiny:v1", new RepackageRequest { Tags = ["me/x:v1"], ContextSize = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => _distribution.RepackageAsync("me/tiny:v1", new RepackageRequest { Tags = ["me/x:v1"], ContextSize = 512, Format = ArtifactFormat.ModelPack }));
        Assert.Single(_distribution.Store.List());
    }
}
