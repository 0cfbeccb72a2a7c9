using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Api.Ollama;

/// <summary>Local models in Ollama's words.</summary>
internal static class OllamaModels
{
    public static ModelDetails Details(LocalModel model)
    {
        var family = model.Config.Architecture ?? "";
        return new ModelDetails("gguf", family, family.Length > 0 ? [family] : [], model.Config.Parameters ?? "", model.Config.Quantization ?? "");
    }

    /// <summary>The digest without its algorithm, as Ollama lists it.</summary>
    public static string Digest(LocalModel model) => model.Id.StartsWith("sha256:", StringComparison.Ordinal) ? model.Id[7..] : model.Id;

    public static string Name(LocalModel model) => model.Tags.Count > 0 ? model.Tags[0] : model.ShortId;
}
