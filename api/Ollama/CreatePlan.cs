namespace ModelRunner.Api.Ollama;

/// <summary>What an <c>/api/create</c> request asks for: a source model or GGUF blobs (file name, digest), licenses, a context size.</summary>
internal sealed record CreatePlan(string? From, IReadOnlyList<(string Name, string Digest)> Files, IReadOnlyList<string> Licenses, int? ContextSize);
