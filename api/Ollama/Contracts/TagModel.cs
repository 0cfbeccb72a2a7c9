using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A local model in <c>/api/tags</c>.</summary>
public sealed record TagModel(string Name, string Model, DateTimeOffset ModifiedAt, long Size, string Digest, ModelDetails Details);
