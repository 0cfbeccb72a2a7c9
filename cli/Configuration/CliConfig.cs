using System.Text.Json;

namespace ModelRunner.Cli.Configuration;

/// <summary>
/// Reads and writes <c>config.json</c> in <see cref="CliHome"/>. Written whole to a temporary file and renamed, so a
/// crash or a concurrent CLI never leaves half a file.
/// </summary>
internal static class CliConfig
{
    /// <summary>The built-in context: the local runner. It cannot be created or removed.</summary>
    public const string DefaultContext = "default";

    public static string FilePath => CliHome.File("config.json");

    /// <exception cref="InvalidOperationException">The file exists but is not valid JSON; the message names it.</exception>
    public static CliConfigFile Load()
    {
        if (!File.Exists(FilePath))
        {
            return new CliConfigFile();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), CliJsonContext.Default.CliConfigFile) ?? new CliConfigFile();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{FilePath} is not valid JSON ({e.Message}); fix or delete it", e);
        }
    }

    public static void Save(CliConfigFile config)
    {
        Directory.CreateDirectory(CliHome.Path);
        var temp = FilePath + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(config, CliJsonContext.Default.CliConfigFile));
        File.Move(temp, FilePath, overwrite: true);
    }
}
