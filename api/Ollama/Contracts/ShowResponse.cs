using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary><c>/api/show</c>: the model's Modelfile-like description, template, parameters and GGUF metadata.</summary>
public sealed record ShowResponse(string License, string Modelfile, string Parameters, string Template, ModelDetails Details, IReadOnlyDictionary<string, JsonElement> ModelInfo, DateTimeOffset ModifiedAt, IReadOnlyList<string> Capabilities);
