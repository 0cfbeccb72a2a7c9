using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

public sealed record OllamaFunction(string Name, JsonElement Arguments);
