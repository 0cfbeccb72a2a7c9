using System.Text.Json.Serialization;

namespace ModelRunner.Cli.Configuration;

/// <summary>The CLI's <c>config.json</c>: the contexts and which one is in use (none: the default one).</summary>
internal sealed record CliConfigFile
{
    [JsonPropertyName("current_context")]
    public string? CurrentContext { get; init; }

    [JsonPropertyName("contexts")]
    public IReadOnlyDictionary<string, RunnerContext> Contexts { get; init; } = new Dictionary<string, RunnerContext>();
}
