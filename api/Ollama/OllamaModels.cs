using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Api.Ollama;

/// <summary>Local models in Ollama's words.</summary>
internal static class OllamaModels
{
    public static ModelDetails Details(ModelConfig config)
    {
        var family = config.Architecture ?? "";
        return new ModelDetails("gguf", family, family.Length > 0 ? [family] : [], config.Parameters ?? "", config.Quantization ?? "");
    }

    /// <summary>The digest of a model id without its algorithm, as Ollama lists it.</summary>
    public static string Digest(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id;

    public static string Name(LocalModel model) => model.Tags.Count > 0 ? model.Tags[0] : model.ShortId;
}
