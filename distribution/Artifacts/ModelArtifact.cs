using System.Text.Json;
using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>
/// A model manifest, parsed and checked: every descriptor has a sha256 digest and a sane size, the config is a model
/// config of a known format, and there is at least one GGUF layer. Built from the exact manifest bytes, whose
/// digest is the model id.
/// </summary>
internal sealed record ModelArtifact
{
    /// <summary>Manifests larger than this are refused, as registries do (4 MiB).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Config blobs larger than this are refused: a real one is a few KB of JSON.</summary>
    public const int MaxConfigBytes = 4 * 1024 * 1024;

    private ModelArtifact(OciDigest digest, string mediaType, ArtifactFormat format, BlobDescriptor config, IReadOnlyList<BlobDescriptor> layers)
    {
        Digest = digest;
        MediaType = mediaType;
        Format = format;
        Config = config;
        Layers = layers;
    }

    /// <summary>The manifest digest: the model id.</summary>
    public OciDigest Digest { get; }

    /// <summary>The manifest media type.</summary>
    public string MediaType { get; }

    public ArtifactFormat Format { get; }

    public BlobDescriptor Config { get; }

    /// <summary>Every layer, in manifest order.</summary>
    public IReadOnlyList<BlobDescriptor> Layers { get; }

    /// <summary>The config and every layer: what a pull downloads and a push uploads.</summary>
    public IEnumerable<BlobDescriptor> Blobs => Layers.Prepend(Config);

    /// <summary>The GGUF layers, in shard order.</summary>
    public IEnumerable<BlobDescriptor> GgufLayers => Layers.Where(l => l.Role == LayerRole.Gguf);

    /// <summary>Parses manifest bytes; <paramref name="what"/> names the model in error messages.</summary>
    /// <exception cref="UnsupportedArtifactException">The manifest is not a model this runner can use.</exception>
    public static ModelArtifact Parse(ReadOnlySpan<byte> manifestBytes, string what)
    {
        if (manifestBytes.Length > MaxManifestBytes)
        {
            throw new UnsupportedArtifactException($"{what}: the manifest is {manifestBytes.Length} bytes; at most {MaxManifestBytes} are accepted");
        }

        OciManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(manifestBytes, DistributionJsonContext.Default.OciManifest);
        }
        catch (JsonException e)
        {
            throw new UnsupportedArtifactException($"{what}: the manifest is not valid JSON ({e.Message})", e);
        }

        if (manifest is null || manifest.SchemaVersion != 2 || manifest.Config is null || manifest.Layers is null)
        {
            throw new UnsupportedArtifactException($"{what}: the manifest is not an OCI image manifest (schemaVersion 2 with a config and layers)");
        }

        var mediaType = manifest.MediaType ?? ModelMediaTypes.OciManifest;
        if (mediaType is not (ModelMediaTypes.OciManifest or ModelMediaTypes.DockerManifest))
        {
            throw new UnsupportedArtifactException($"{what}: manifest media type {mediaType} is not an image manifest");
        }

        var config = Describe(manifest.Config, what, "the config");
        var format = config.MediaType switch
        {
            ModelMediaTypes.DockerModelConfig or ModelMediaTypes.DockerModelConfigV02 => ArtifactFormat.Docker,
            ModelMediaTypes.ModelPackConfig => ArtifactFormat.ModelPack,
            _ => throw new UnsupportedArtifactException(
                $"{what} is not a model: its config media type is {config.MediaType} (a model has {ModelMediaTypes.DockerModelConfig} or {ModelMediaTypes.ModelPackConfig})"),
        };

        if (config.Size > MaxConfigBytes)
        {
            throw new UnsupportedArtifactException($"{what}: the model config is {config.Size} bytes; at most {MaxConfigBytes} are accepted");
        }

        var layers = new List<BlobDescriptor>(manifest.Layers.Count);
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = Describe(manifest.Layers[i], what, $"layer {i + 1}");
            layers.Add(layer with { Role = RoleOf(layer) });
        }

        if (!layers.Any(l => l.Role == LayerRole.Gguf))
        {
            throw new UnsupportedArtifactException(
                $"{what} has no GGUF layer (layers: {string.Join(", ", layers.Select(l => l.MediaType).Distinct())}); this runner runs GGUF models with llama.cpp");
        }

        return new ModelArtifact(OciDigest.Compute(manifestBytes), mediaType, format, config, layers);
    }

    private static BlobDescriptor Describe(OciDescriptor descriptor, string what, string which)
    {
        if (string.IsNullOrEmpty(descriptor.MediaType))
        {
            throw new UnsupportedArtifactException($"{what}: {which} has no media type");
        }

        if (!OciDigest.TryParse(descriptor.Digest, out var digest, out var problem))
        {
            throw new UnsupportedArtifactException($"{what}: {which}: {problem}");
        }

        if (descriptor.Size < 0)
        {
            throw new UnsupportedArtifactException($"{what}: {which} has a negative size");
        }

        var fileName = descriptor.Annotations?.GetValueOrDefault(ModelMediaTypes.FilePathAnnotation)
            ?? descriptor.Annotations?.GetValueOrDefault("org.opencontainers.image.title");
        return new BlobDescriptor(digest, descriptor.Size, descriptor.MediaType, LayerRole.Other, fileName);
    }

    private static LayerRole RoleOf(BlobDescriptor layer) => layer.MediaType switch
    {
        ModelMediaTypes.MultimodalProjector or ModelMediaTypes.MultimodalProjectorSpec => LayerRole.MultimodalProjector,
        ModelMediaTypes.ModelPackWeightRaw or ModelMediaTypes.ModelPackWeightGguf when IsProjectorFile(layer.FileName) => LayerRole.MultimodalProjector,
        ModelMediaTypes.Gguf or ModelMediaTypes.ModelPackWeightGguf => LayerRole.Gguf,
        ModelMediaTypes.ModelPackWeightRaw when layer.FileName?.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) == true => LayerRole.Gguf,
        ModelMediaTypes.License => LayerRole.License,
        ModelMediaTypes.ModelPackDocRaw when IsLicenseFile(layer.FileName) => LayerRole.License,
        ModelMediaTypes.ChatTemplate => LayerRole.ChatTemplate,
        ModelMediaTypes.ModelPackWeightConfigRaw when layer.FileName?.EndsWith(".jinja", StringComparison.OrdinalIgnoreCase) == true => LayerRole.ChatTemplate,
        _ => LayerRole.Other,
    };

    /// <summary>
    /// ModelPack has one media type for every weight file; a projector is told apart by its name, which the packager
    /// always gives an <c>mmproj</c> prefix.
    /// </summary>
    private static bool IsProjectorFile(string? fileName) =>
        fileName is not null && Path.GetFileName(fileName).Contains("mmproj", StringComparison.OrdinalIgnoreCase)
        && fileName.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);

    private static bool IsLicenseFile(string? fileName) =>
        fileName is not null && Path.GetFileName(fileName).StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase);
}
