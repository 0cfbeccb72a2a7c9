using System.Text;
using ModelRunner.Distribution.Artifacts;

namespace ModelRunner.Distribution.Tests.Registry;

/// <summary>Artifacts other than the ones our packager makes: ModelPack models, container images, indexes.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ArtifactFormatTests : IDisposable
{
    private readonly RegistryServer _registry;
    private readonly RawRegistryClient _raw;
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _consumer;

    public ArtifactFormatTests(RegistryFixture fixture)
    {
        _registry = fixture.Server;
        _raw = new RawRegistryClient(_registry);
        _consumer = Distributions.Create(_folder.Combine("consumer"));
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _raw.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PullAsync_ModelPackArtifact_ReadsItsConfigAndFindsTheGguf()
    {
        const string repository = "formats/modelpack";
        var gguf = await File.ReadAllBytesAsync(TinyModels.Path(6));
        var layer = await _raw.PutBlobAsync(repository, gguf);
        var config = Encoding.UTF8.GetBytes($$$"""
            {"descriptor":{"createdAt":"2025-03-04T05:06:07Z","name":"tiny"},
             "config":{"architecture":"llama","format":"gguf","paramSize":"1.23M","precision":"float16"},
             "modelfs":{"type":"layers","diffIds":["{{{layer}}}"]}}
            """);
        var configDigest = await _raw.PutBlobAsync(repository, config);
        await _raw.PutManifestAsync(repository, "v1", $$$"""
            {"schemaVersion":2,"mediaType":"{{{ModelMediaTypes.OciManifest}}}","artifactType":"{{{ModelMediaTypes.ModelPackManifestArtifactType}}}",
             "config":{"mediaType":"{{{ModelMediaTypes.ModelPackConfig}}}","digest":"{{{configDigest}}}","size":{{{config.Length}}}},
             "layers":[{"mediaType":"{{{ModelMediaTypes.ModelPackWeightRaw}}}","digest":"{{{layer}}}","size":{{{gguf.Length}}},
                        "annotations":{"org.cncf.model.filepath":"tiny.gguf"}}]}
            """, ModelMediaTypes.OciManifest);

        var model = await _consumer.PullModelAsync($"{_registry.Host}/{repository}:v1");

        Assert.Equal(ArtifactFormat.ModelPack, model.Format);
        Assert.Equal("1.23M", model.Config.Parameters);
        Assert.Equal("float16", model.Config.Quantization);
        Assert.Equal("llama", model.Config.Gguf!["general.architecture"]);
        Assert.NotNull(model.Config.ContextSize);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), model.Created);
        Assert.Equal(gguf, await File.ReadAllBytesAsync(Assert.Single(model.GgufPaths)));
    }

    [Fact]
    public async Task PullAsync_ContainerImage_IsUnsupportedAndStoresNothing()
    {
        const string repository = "formats/image";
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = await _raw.PutBlobAsync(repository, config);
        await _raw.PutManifestAsync(repository, "v1", $$$"""
            {"schemaVersion":2,"mediaType":"{{{ModelMediaTypes.OciManifest}}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[]}
            """, ModelMediaTypes.OciManifest);

        var error = await Assert.ThrowsAsync<UnsupportedArtifactException>(() => _consumer.PullModelAsync($"{_registry.Host}/{repository}:v1"));

        Assert.Contains("application/vnd.oci.image.config.v1+json", error.Message, StringComparison.Ordinal);
        Assert.Empty(_consumer.Store.List());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_consumer.Store.RootPath, "blobs", "sha256")));
    }

    [Fact]
    public async Task PullAsync_TagOfAnIndex_FollowsItToTheModelManifest()
    {
        const string repository = "formats/index";
        using var publisher = Distributions.Create(_folder.Combine("publisher"));
        var model = await publisher.PackageTinyAsync($"{_registry.Host}/{repository}:model", seed: 7);
        await publisher.PushModelAsync($"{_registry.Host}/{repository}:model");
        var manifest = publisher.Store.FindManifest(model.Id)!;
        await _raw.PutManifestAsync(repository, "indexed", $$$"""
            {"schemaVersion":2,"mediaType":"{{{ModelMediaTypes.OciIndex}}}",
             "manifests":[{"mediaType":"{{{ModelMediaTypes.OciManifest}}}","digest":"{{{model.Id}}}","size":{{{manifest.Content.Length}}}}]}
            """, ModelMediaTypes.OciIndex);

        var pulled = await _consumer.PullModelAsync($"{_registry.Host}/{repository}:indexed");

        Assert.Equal(model.Id, pulled.Id);
        Assert.Equal([$"{_registry.Host}/{repository}:indexed"], pulled.Tags);
    }
}
