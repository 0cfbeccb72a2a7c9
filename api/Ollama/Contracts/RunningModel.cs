using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

/// <summary>A loaded model in <c>/api/ps</c>.</summary>
public sealed record RunningModel(string Name, string Model, long Size, string Digest, ModelDetails Details, DateTimeOffset ExpiresAt, long SizeVram, int ContextLength)
{
    /// <summary>Our extension: the node it is loaded on.</summary>
    public string? Node { get; init; }
}
