namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>The line that ends a failed <c>/api/push</c> stream, as Ollama writes it: <c>{"error": "…"}</c>.</summary>
public sealed record PullError(string Error);
