using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A status line of <c>/api/pull</c>, <c>/api/push</c> and <c>/api/create</c>.</summary>
public sealed record PullStatus(string Status, string? Digest = null, long? Total = null, long? Completed = null);
