using System.Text.Json;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Packaging;

/// <summary>
/// Writes Docker Model Runner's artifact for layers already in the store: the config blob
/// (<c>{config, descriptor:{created}, rootfs:{type:"rootfs", diff_ids}}</c>), then an OCI image manifest, committed
/// with its tags. Used by <c>package</c> and by Hugging Face pulls.
/// </summary>
internal static class ArtifactWriter
{
    public static LocalModel Write(
        LocalModelStore store, BlobPins pins, IReadOnlyList<BlobDescriptor> layers, ModelConfig config, DateTimeOffset created, IReadOnlyList<ModelReference> tags, string what)
    {
        var configFile = new DockerModelConfigFile
        {
            Config = config,
            Descriptor = new DockerModelDescriptor { Created = created.ToUniversalTime() },
            RootFs = new DockerModelRootFs { Type = "rootfs", DiffIds = [.. layers.Select(l => l.Digest.ToString())] },
        };
        var configBytes = JsonSerializer.SerializeToUtf8Bytes(configFile, DistributionJsonContext.Default.DockerModelConfigFile);
        var configDigest = store.WriteBlob(configBytes, pins);

        var manifest = new OciManifest
        {
            SchemaVersion = 2,
            MediaType = ModelMediaTypes.OciManifest,
            Config = new OciDescriptor { MediaType = ModelMediaTypes.DockerModelConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = [.. layers.Select(Describe)],
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, DistributionJsonContext.Default.OciManifest);
        var artifact = ModelArtifact.Parse(manifestBytes, what);
        return store.Commit(manifestBytes, artifact, tags);
    }

    private static OciDescriptor Describe(BlobDescriptor layer) => new()
    {
        MediaType = layer.MediaType,
        Digest = layer.Digest.ToString(),
        Size = layer.Size,
        Annotations = layer.FileName is null ? null : new Dictionary<string, string> { [ModelMediaTypes.FilePathAnnotation] = layer.FileName },
    };
}
