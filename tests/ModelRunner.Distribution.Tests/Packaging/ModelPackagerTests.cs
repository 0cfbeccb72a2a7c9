using System.Text.Json;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Distribution.Tests.Packaging;

public sealed class ModelPackagerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _distribution;

    public ModelPackagerTests() => _distribution = Distributions.Create(_folder.Combine("store"));

    public void Dispose()
    {
        _distribution.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PackageAsync_TinyGguf_DescribesItFromTheHeader()
    {
        var source = TinyModels.Path();
        var gguf = GgufReader.Read(source);

        var model = await _distribution.PackageTinyAsync("me/tiny:v1");

        Assert.Equal(["me/tiny:v1"], model.Tags);
        Assert.Equal("gguf", model.Config.Format);
        Assert.Equal("F16", model.Config.Quantization);
        Assert.Equal("llama", model.Config.Architecture);
        Assert.Equal(GgufConfigBuilder.FormatCount(gguf.ParameterCount), model.Config.Parameters);
        Assert.Equal(GgufConfigBuilder.FormatBytes(new FileInfo(source).Length), model.Config.Size);
        Assert.Equal((int)gguf["llama.context_length"].AsInt64(), model.Config.ContextSize);
        Assert.Equal("llama", model.Config.Gguf!["general.architecture"]);
        Assert.DoesNotContain("tokenizer.ggml.tokens", model.Config.Gguf.Keys);
        Assert.Equal(Packages.Created, model.Created);
        Assert.Equal(ArtifactFormat.Docker, model.Format);
        var path = Assert.Single(model.GgufPaths);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task PackageAsync_Artifact_HasDockerModelRunnerFormat()
    {
        var model = await _distribution.PackageTinyAsync("me/tiny:format");

        var stored = _distribution.Store.FindManifest("me/tiny:format")!;
        Assert.Equal(model.Id, stored.Digest);
        Assert.Equal(ModelMediaTypes.OciManifest, stored.MediaType);
        using var manifest = JsonDocument.Parse(stored.Content);
        var root = manifest.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", root.GetProperty("mediaType").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("application/vnd.docker.ai.model.config.v0.1+json", config.GetProperty("mediaType").GetString());
        var layer = Assert.Single(root.GetProperty("layers").EnumerateArray());
        Assert.Equal("application/vnd.docker.ai.gguf.v3", layer.GetProperty("mediaType").GetString());
        Assert.Equal("tiny-1.gguf", layer.GetProperty("annotations").GetProperty("org.cncf.model.filepath").GetString());

        var configDigest = ModelRunner.Distribution.References.OciDigest.Parse(config.GetProperty("digest").GetString()!);
        await using var blob = _distribution.Store.OpenBlob(configDigest)!;
        using var configJson = await JsonDocument.ParseAsync(blob);
        var configRoot = configJson.RootElement;
        Assert.Equal("gguf", configRoot.GetProperty("config").GetProperty("format").GetString());
        Assert.Equal("F16", configRoot.GetProperty("config").GetProperty("quantization").GetString());
        Assert.True(configRoot.GetProperty("config").GetProperty("context_size").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Object, configRoot.GetProperty("config").GetProperty("gguf").ValueKind);
        Assert.Equal(Packages.Created, configRoot.GetProperty("descriptor").GetProperty("created").GetDateTimeOffset());
        Assert.Equal("rootfs", configRoot.GetProperty("rootfs").GetProperty("type").GetString());
        Assert.Equal(layer.GetProperty("digest").GetString(), Assert.Single(configRoot.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task PackageAsync_LicenseTemplateAndContextSize_AreLayersAndConfig()
    {
        var license = _folder.Combine("LICENSE");
        await File.WriteAllTextAsync(license, "Apache-2.0, for the test");
        var template = _folder.Combine("template.jinja");
        await File.WriteAllTextAsync(template, "{% for m in messages %}{{ m.content }}{% endfor %}");

        var model = await _distribution.PackageAsync(new PackageRequest
        {
            GgufPaths = [TinyModels.Path()],
            LicensePaths = [license],
            ChatTemplatePath = template,
            ContextSize = 2048,
            Tags = ["me/tiny:extras"],
        });

        Assert.Equal(2048, model.Config.ContextSize);
        Assert.Equal("Apache-2.0, for the test", await File.ReadAllTextAsync(Assert.Single(model.LicensePaths)));
        Assert.Equal(await File.ReadAllTextAsync(template), await File.ReadAllTextAsync(model.ChatTemplatePath!));
        var layers = JsonDocument.Parse(_distribution.Store.FindManifest(model.Id)!.Content).RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => l.GetProperty("mediaType").GetString()!).ToArray();
        Assert.Equal(["application/vnd.docker.ai.gguf.v3", "application/vnd.docker.ai.license", "application/vnd.docker.ai.chat.template.jinja"], layers);
    }

    [Fact]
    public async Task PackageAsync_SameFilesAndCreationTime_GiveTheSameId()
    {
        var first = await _distribution.PackageTinyAsync("me/tiny:a");
        var second = await _distribution.PackageTinyAsync("me/tiny:b");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(["me/tiny:a", "me/tiny:b"], _distribution.Store.Get(first.Id).Tags);
    }

    [Fact]
    public async Task PackageAsync_FirstShard_BringsEveryShardInOrder()
    {
        var first = TinyModels.CopyTo(_folder.Path, "split-00001-of-00002.gguf", seed: 1);
        var second = TinyModels.CopyTo(_folder.Path, "split-00002-of-00002.gguf", seed: 2);

        var model = await _distribution.PackageAsync(new PackageRequest { GgufPaths = [first], Tags = ["me/split"] });

        Assert.Equal(2, model.GgufPaths.Count);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(model.GgufPaths[0]));
        Assert.Equal(await File.ReadAllBytesAsync(second), await File.ReadAllBytesAsync(model.GgufPaths[1]));
    }

    [Fact]
    public async Task PackageAsync_MissingShard_FailsBeforeCopying()
    {
        var first = TinyModels.CopyTo(_folder.Path, "gap-00001-of-00003.gguf");
        TinyModels.CopyTo(_folder.Path, "gap-00003-of-00003.gguf");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => _distribution.PackageAsync(new PackageRequest { GgufPaths = [first], Tags = ["me/gap"] }));

        Assert.Contains("shard 2 of 3", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_folder.Combine("store", "blobs", "sha256")));
    }

    [Fact]
    public async Task PackageAsync_NotGguf_FailsAndStoresNothing()
    {
        var bogus = _folder.Combine("bogus.gguf");
        await File.WriteAllTextAsync(bogus, "this is not a GGUF file at all");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _distribution.PackageAsync(new PackageRequest { GgufPaths = [bogus], Tags = ["me/bogus"] }));

        Assert.Contains("not a valid GGUF file", error.Message, StringComparison.Ordinal);
        Assert.Empty(_distribution.Store.List());
        Assert.Empty(Directory.EnumerateFiles(_folder.Combine("store", "blobs", "sha256")));
    }

    [Theory]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("../escape")]
    public async Task PackageAsync_InvalidTag_FailsAndStoresNothing(string tag)
    {
        await Assert.ThrowsAsync<ModelRunner.Distribution.References.InvalidReferenceException>(
            () => _distribution.PackageAsync(new PackageRequest { GgufPaths = [TinyModels.Path()], Tags = [tag] }));

        Assert.Empty(_distribution.Store.List());
    }

    [Fact]
    public async Task PackageAsync_ZeroContextSize_IsRefused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _distribution.PackageTinyAsync("me/tiny:zero", contextSize: 0));

    [Fact]
    public async Task PackageAsync_Projector_IsItsOwnLayer_NotAShard()
    {
        var model = await _distribution.PackageAsync(new PackageRequest
        {
            GgufPaths = [TinyModels.Path()],
            MultimodalProjectorPath = TinyModels.Path(seed: 2),
            Tags = ["me/vision:v1"],
            Created = Packages.Created,
        });

        using var manifest = JsonDocument.Parse(_distribution.Store.FindManifest(model.Id)!.Content);
        var mediaTypes = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("mediaType").GetString()!).ToArray();
        Assert.Equal<string[]>([ModelMediaTypes.Gguf, ModelMediaTypes.MultimodalProjector], mediaTypes);
        Assert.Single(model.GgufPaths);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModels.Path(seed: 2)), await File.ReadAllBytesAsync(model.MultimodalProjectorPath!));
    }

    [Fact]
    public async Task PackageAsync_ProjectorNotGguf_IsRefused()
    {
        var projector = _folder.Combine("mmproj.gguf");
        await File.WriteAllTextAsync(projector, "not a gguf file");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _distribution.PackageAsync(new PackageRequest { GgufPaths = [TinyModels.Path()], MultimodalProjectorPath = projector, Tags = ["me/vision:bad"] }));

        Assert.Contains("multimodal projector", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_distribution.Store.List());
    }

    [Fact]
    public async Task PackageAsync_CncfFormat_WritesModelPack_AndReadsItBack()
    {
        var license = _folder.Combine("terms.txt");
        await File.WriteAllTextAsync(license, "MIT, for the test");

        var model = await _distribution.PackageAsync(new PackageRequest
        {
            GgufPaths = [TinyModels.Path()],
            LicensePaths = [license],
            MultimodalProjectorPath = TinyModels.Path(seed: 2),
            Format = ArtifactFormat.ModelPack,
            Tags = ["me/pack:v1"],
            Created = Packages.Created,
        });

        using var manifest = JsonDocument.Parse(_distribution.Store.FindManifest(model.Id)!.Content);
        var root = manifest.RootElement;
        Assert.Equal(ModelMediaTypes.ModelPackManifestArtifactType, root.GetProperty("artifactType").GetString());
        Assert.Equal(ModelMediaTypes.ModelPackConfig, root.GetProperty("config").GetProperty("mediaType").GetString());
        var layers = root.GetProperty("layers").EnumerateArray()
            .Select(l => (l.GetProperty("mediaType").GetString(), l.GetProperty("annotations").GetProperty(ModelMediaTypes.FilePathAnnotation).GetString()))
            .ToArray();
        Assert.Equal(
            [(ModelMediaTypes.ModelPackWeightRaw, "tiny-1.gguf"), (ModelMediaTypes.ModelPackDocRaw, "LICENSE-terms.txt"), (ModelMediaTypes.ModelPackWeightRaw, "mmproj-tiny-2.gguf")],
            layers);

        var configDigest = ModelRunner.Distribution.References.OciDigest.Parse(root.GetProperty("config").GetProperty("digest").GetString()!);
        await using var blob = _distribution.Store.OpenBlob(configDigest)!;
        using var config = await JsonDocument.ParseAsync(blob);
        Assert.Equal("layers", config.RootElement.GetProperty("modelfs").GetProperty("type").GetString());
        Assert.Equal(3, config.RootElement.GetProperty("modelfs").GetProperty("diffIds").GetArrayLength());
        Assert.Equal("F16", config.RootElement.GetProperty("config").GetProperty("quantization").GetString());

        Assert.Equal(ArtifactFormat.ModelPack, model.Format);
        Assert.Single(model.GgufPaths);
        Assert.Single(model.LicensePaths);
        Assert.NotNull(model.MultimodalProjectorPath);
        Assert.Equal("llama", model.Config.Architecture);
    }

    [Fact]
    public async Task PackageAsync_CncfWithContextSize_IsRefusedRatherThanDropped()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _distribution.PackageAsync(new PackageRequest
        {
            GgufPaths = [TinyModels.Path()],
            Format = ArtifactFormat.ModelPack,
            ContextSize = 2048,
            Tags = ["me/pack:ctx"],
        }));

        Assert.Contains("context size", refused.Message, StringComparison.Ordinal);
    }
}
