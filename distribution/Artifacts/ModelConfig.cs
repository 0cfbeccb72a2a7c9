using System.Text.Json.Serialization;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>
/// What a model is, as Docker Model Runner describes it in its config blob and in <c>GET /models</c>:
/// <c>{format, quantization, parameters, architecture, size, gguf{…}, context_size}</c>. Property names serialize in
/// that exact snake case. Immutable.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The weights' format: <c>gguf</c>.</summary>
    [JsonPropertyName("format")]
    public string? Format { get; init; }

    /// <summary>The quantization as llama.cpp names it, e.g. <c>Q4_K_M</c>, <c>F16</c>.</summary>
    [JsonPropertyName("quantization")]
    public string? Quantization { get; init; }

    /// <summary>The parameter count in short form, e.g. <c>361.82M</c>.</summary>
    [JsonPropertyName("parameters")]
    public string? Parameters { get; init; }

    /// <summary>The architecture from <c>general.architecture</c>, e.g. <c>llama</c>.</summary>
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    /// <summary>The size of the weights in binary units, e.g. <c>256.35MiB</c>.</summary>
    [JsonPropertyName("size")]
    public string? Size { get; init; }

    /// <summary>The GGUF metadata as strings (arrays of more than 50 elements left out), keys in ordinal order.</summary>
    [JsonPropertyName("gguf")]
    public IReadOnlyDictionary<string, string>? Gguf { get; init; }

    /// <summary>The default context size: the packager's choice, else the model's trained context length.</summary>
    [JsonPropertyName("context_size")]
    public int? ContextSize { get; init; }
}
