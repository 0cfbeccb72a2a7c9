using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>A model's configuration as DMR lists it.</summary>
public sealed record DmrModelConfig(string? Format, string? Quantization, string? Parameters, string? Architecture, string? Size, IReadOnlyDictionary<string, string>? Gguf, int? ContextSize);
