using System.Text.Json;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>Reads a model config blob of either format into one <see cref="ModelConfig"/>.</summary>
internal static class ModelConfigReader
{
    /// <summary>The config and creation time of <paramref name="artifact"/> from its config blob.</summary>
    /// <exception cref="UnsupportedArtifactException">The blob is not valid JSON of the artifact's format.</exception>
    public static (ModelConfig Config, DateTimeOffset? Created) Read(ModelArtifact artifact, ReadOnlySpan<byte> configBytes, string what)
    {
        try
        {
            if (artifact.Format == ArtifactFormat.Docker)
            {
                var file = JsonSerializer.Deserialize(configBytes, DistributionJsonContext.Default.DockerModelConfigFile)
                    ?? throw new UnsupportedArtifactException($"{what}: the model config is null");
                return (file.Config ?? new ModelConfig { Format = "gguf" }, file.Descriptor?.Created);
            }

            var pack = JsonSerializer.Deserialize(configBytes, DistributionJsonContext.Default.ModelPackConfigFile)
                ?? throw new UnsupportedArtifactException($"{what}: the ModelPack config is null");
            var config = new ModelConfig
            {
                Format = pack.Config?.Format?.ToLowerInvariant() ?? "gguf",
                Quantization = pack.Config?.Quantization ?? pack.Config?.Precision,
                Parameters = pack.Config?.ParamSize,
                Architecture = pack.Config?.Architecture,
            };
            return (config, pack.Descriptor?.CreatedAt);
        }
        catch (JsonException e)
        {
            throw new UnsupportedArtifactException($"{what}: the model config is not valid JSON for {artifact.Config.MediaType} ({e.Message})", e);
        }
    }

    /// <summary>Fills what <paramref name="config"/> leaves out from <paramref name="fromGguf"/>; ModelPack configs carry no GGUF metadata.</summary>
    public static ModelConfig Complete(ModelConfig config, ModelConfig fromGguf) => config with
    {
        Format = config.Format ?? fromGguf.Format,
        Quantization = config.Quantization ?? fromGguf.Quantization,
        Parameters = config.Parameters ?? fromGguf.Parameters,
        Architecture = config.Architecture ?? fromGguf.Architecture,
        Size = config.Size ?? fromGguf.Size,
        Gguf = config.Gguf ?? fromGguf.Gguf,
        ContextSize = config.ContextSize ?? fromGguf.ContextSize,
    };
}
