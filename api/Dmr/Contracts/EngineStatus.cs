using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary><c>/engines/status</c>: the backend and whether it runs.</summary>
public sealed record EngineStatus([property: JsonPropertyName("llama.cpp")] string LlamaCpp);
