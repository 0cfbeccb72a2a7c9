using System.Text.Json;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Packaging;

/// <summary>
/// Writes a model artifact for layers already in the store: the config blob, then an OCI image manifest, committed
/// with its tags. Docker Model Runner's format (<c>{config, descriptor:{created}, rootfs:{type:"rootfs", diff_ids}}</c>,
/// <c>application/vnd.docker.ai.*</c> layers) or CNCF ModelPack's (<c>{descriptor, modelfs, config}</c>,
/// <c>application/vnd.cncf.model.*</c> layers with file names). Layers are given by role; their media types follow
/// the format. Used by <c>package</c>, repackaging and Hugging Face pulls.
/// </summary>
internal static class ArtifactWriter
{
    public static LocalModel Write(
        LocalModelStore store,
        BlobPins pins,
        IReadOnlyList<BlobDescriptor> layers,
        ModelConfig config,
        DateTimeOffset created,
        IReadOnlyList<ModelReference> tags,
        string what,
        ArtifactFormat format = ArtifactFormat.Docker)
    {
        if (format == ArtifactFormat.ModelPack)
        {
            layers = [.. layers.Select(ForModelPack)];
        }

        var diffIds = layers.Select(l => l.Digest.ToString()).ToArray();
        byte[] configBytes;
        string configMediaType;
        if (format == ArtifactFormat.ModelPack)
        {
            // ModelPack has no field for a context size; the caller refuses one before getting here.
            var configFile = new ModelPackConfigFile
            {
                Descriptor = new ModelPackDescriptor { CreatedAt = created.ToUniversalTime(), Family = config.Architecture },
                ModelFs = new ModelPackModelFs { Type = "layers", DiffIds = diffIds },
                Config = new ModelPackModelConfig
                {
                    Architecture = config.Architecture,
                    Format = config.Format,
                    ParamSize = config.Parameters,
                    Quantization = config.Quantization,
                },
            };
            configBytes = JsonSerializer.SerializeToUtf8Bytes(configFile, DistributionJsonContext.Default.ModelPackConfigFile);
            configMediaType = ModelMediaTypes.ModelPackConfig;
        }
        else
        {
            var configFile = new DockerModelConfigFile
            {
                Config = config,
                Descriptor = new DockerModelDescriptor { Created = created.ToUniversalTime() },
                RootFs = new DockerModelRootFs { Type = "rootfs", DiffIds = diffIds },
            };
            configBytes = JsonSerializer.SerializeToUtf8Bytes(configFile, DistributionJsonContext.Default.DockerModelConfigFile);
            configMediaType = ModelMediaTypes.DockerModelConfig;
        }

        var configDigest = store.WriteBlob(configBytes, pins);
        var manifest = new OciManifest
        {
            SchemaVersion = 2,
            MediaType = ModelMediaTypes.OciManifest,
            ArtifactType = format == ArtifactFormat.ModelPack ? ModelMediaTypes.ModelPackManifestArtifactType : null,
            Config = new OciDescriptor { MediaType = configMediaType, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = [.. layers.Select(Describe)],
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, DistributionJsonContext.Default.OciManifest);
        var artifact = ModelArtifact.Parse(manifestBytes, what);
        return store.Commit(manifestBytes, artifact, tags);
    }

    /// <summary>The Docker media type of a layer's role (for converting a ModelPack model back); other layers keep theirs.</summary>
    public static BlobDescriptor ForDocker(BlobDescriptor layer) => layer with
    {
        MediaType = layer.Role switch
        {
            LayerRole.Gguf => ModelMediaTypes.Gguf,
            LayerRole.License => ModelMediaTypes.License,
            LayerRole.ChatTemplate => ModelMediaTypes.ChatTemplate,
            LayerRole.MultimodalProjector => ModelMediaTypes.MultimodalProjector,
            _ => layer.MediaType,
        },
    };

    /// <summary>
    /// ModelPack says what a layer is by a generic media type and its file name, so the names must carry the role the
    /// reader looks for: <c>.gguf</c> weights, <c>LICENSE…</c> documents, <c>.jinja</c> templates, <c>mmproj…gguf</c> projectors.
    /// </summary>
    private static BlobDescriptor ForModelPack(BlobDescriptor layer)
    {
        var name = Path.GetFileName(layer.FileName) is { Length: > 0 } given ? given : null;
        return layer.Role switch
        {
            LayerRole.Gguf => layer with { MediaType = ModelMediaTypes.ModelPackWeightRaw, FileName = WithSuffix(name ?? "model.gguf", ".gguf") },
            LayerRole.MultimodalProjector => layer with
            {
                MediaType = ModelMediaTypes.ModelPackWeightRaw,
                FileName = WithSuffix(name is not null && name.Contains("mmproj", StringComparison.OrdinalIgnoreCase) ? name : $"mmproj-{name ?? "model.gguf"}", ".gguf"),
            },
            LayerRole.License => layer with
            {
                MediaType = ModelMediaTypes.ModelPackDocRaw,
                FileName = name is not null && name.StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase) ? name : $"LICENSE-{name ?? layer.Digest.ShortId}",
            },
            LayerRole.ChatTemplate => layer with { MediaType = ModelMediaTypes.ModelPackWeightConfigRaw, FileName = WithSuffix(name ?? "template.jinja", ".jinja") },
            _ => layer with { MediaType = layer.MediaType.StartsWith("application/vnd.cncf.model.", StringComparison.Ordinal) ? layer.MediaType : ModelMediaTypes.ModelPackWeightConfigRaw },
        };
    }

    private static string WithSuffix(string name, string suffix) => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? name : name + suffix;

    private static OciDescriptor Describe(BlobDescriptor layer) => new()
    {
        MediaType = layer.MediaType,
        Digest = layer.Digest.ToString(),
        Size = layer.Size,
        Annotations = layer.FileName is null ? null : new Dictionary<string, string> { [ModelMediaTypes.FilePathAnnotation] = layer.FileName },
    };
}
