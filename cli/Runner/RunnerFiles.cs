using System.Text.Json;
using ModelRunner.Cli.Configuration;

namespace ModelRunner.Cli.Runner;

/// <summary>The background runner's files in <see cref="CliHome"/>: <c>runner.json</c> (its record) and <c>runner.log</c>.</summary>
internal static class RunnerFiles
{
    public static string RecordPath => CliHome.File("runner.json");

    public static string LogPath => CliHome.File("runner.log");

    /// <summary>The recorded runner, or null when none was started or its record is unreadable.</summary>
    public static RunnerRecord? Load()
    {
        try
        {
            return File.Exists(RecordPath) ? JsonSerializer.Deserialize(File.ReadAllBytes(RecordPath), CliJsonContext.Default.RunnerRecord) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The recorded runner when its process is still that runner (a pid can be reused after it exits).</summary>
    public static RunnerRecord? LoadAlive() => Load() is { } record && IsRunner(record.Pid) ? record : null;

    public static void Save(RunnerRecord record)
    {
        Directory.CreateDirectory(CliHome.Path);
        var temp = RecordPath + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(record, CliJsonContext.Default.RunnerRecord));
        File.Move(temp, RecordPath, overwrite: true);
    }

    public static void Delete() => File.Delete(RecordPath);

    /// <summary>Is <paramref name="pid"/> a live <c>modelrunner serve</c>? Read from <c>/proc</c>, so no signal is sent to ask.</summary>
    public static bool IsRunner(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var state = File.ReadAllText($"/proc/{pid}/stat");
            // A zombie has exited; only its parent has not collected it yet.
            var zombie = state.LastIndexOf(')') is var end and > 0 && state.Length > end + 2 && state[end + 2] == 'Z';
            return !zombie && arguments.Contains("serve") && arguments.Any(argument => argument.Contains("modelrunner", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
