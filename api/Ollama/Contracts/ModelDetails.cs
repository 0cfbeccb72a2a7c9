using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A model's family, size and quantization, as Ollama lists them.</summary>
public sealed record ModelDetails(string Format, string Family, IReadOnlyList<string> Families, string ParameterSize, string QuantizationLevel)
{
    public string ParentModel => "";
}
