using System.Text.Json.Serialization;
using ModelRunner.Cli.Runner;

namespace ModelRunner.Cli.Configuration;

/// <summary>The CLI's own files: <c>config.json</c> (contexts) and <c>runner.json</c> (the background runner).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliConfigFile))]
[JsonSerializable(typeof(RunnerRecord))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
