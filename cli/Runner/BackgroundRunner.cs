using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelRunner.Cli.Configuration;

namespace ModelRunner.Cli.Runner;

/// <summary>
/// <c>serve</c> as a background process of this user, detached from the terminal (its own session), its output
/// appended to <c>runner.log</c> in the ModelRunner folder, and recorded in <c>runner.json</c> so later verbs find it.
/// </summary>
internal static partial class BackgroundRunner
{
    /// <summary>Starts the runner and waits until it answers <c>/version</c>.</summary>
    /// <exception cref="InvalidOperationException">It exited first (the message has its last log line), or did not answer within <paramref name="timeout"/>.</exception>
    public static async Task<RunnerRecord> StartAsync(RunnerSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(CliHome.Path);
        var log = RunnerFiles.LogPath;
        await File.AppendAllTextAsync(log, $"--- modelrunner start-runner, {DateTimeOffset.Now.ToString("O", CultureInfo.InvariantCulture)} ---\n", cancellationToken).ConfigureAwait(false);
        var logStart = new FileInfo(log).Length;

        // The shell only rewires the output and replaces itself: setsid(1) does not fork for a process that leads no
        // group, so the pid started here is the runner's, in a session of its own that a closing terminal leaves alone.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null", "modelrunner-runner", log }
            .Concat(RunnerCommandLine.Self()).Concat(settings.ServeArguments))
        {
            start.ArgumentList.Add(argument);
        }

        if (settings.Gpu is { } gpu)
        {
            start.Environment[GpuOption.Variable] = GpuOption.ToEnvironment(gpu);
        }

        int pid;
        using (var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh to start the runner"))
        {
            pid = process.Id;
        }

        string? url = null;
        var answered = await RunnerProbe.WaitAsync(
            async () =>
            {
                if (!IsAlive(pid))
                {
                    return true;
                }

                url ??= ListeningUrl(log, logStart);
                return url is not null && await RunnerProbe.AnswersAsync(url, cancellationToken).ConfigureAwait(false);
            },
            timeout,
            cancellationToken).ConfigureAwait(false);

        if (!IsAlive(pid))
        {
            throw new InvalidOperationException($"the runner exited before it answered: {LastLine(log, logStart)} (log: {log})");
        }

        if (!answered || url is null)
        {
            throw new InvalidOperationException($"the runner (pid {pid}) did not answer within {timeout.TotalSeconds:0} s; see {log}");
        }

        var record = new RunnerRecord
        {
            Pid = pid,
            Url = url,
            Log = log,
            Host = settings.Host,
            Port = settings.Port,
            Gpu = settings.Gpu,
            StartedAt = DateTimeOffset.UtcNow,
        };
        RunnerFiles.Save(record);
        return record;
    }

    /// <summary>Sends SIGTERM (the server saves its state and exits 0, in under 10 s) and waits for the process to go.</summary>
    /// <returns>False when the recorded runner was not running any more.</returns>
    /// <exception cref="InvalidOperationException">It was still running after <paramref name="deadline"/>.</exception>
    public static async Task<bool> StopAsync(RunnerRecord record, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (!RunnerFiles.IsRunner(record.Pid))
        {
            RunnerFiles.Delete();
            return false;
        }

        using (var kill = Process.Start("kill", ["-TERM", record.Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!await RunnerProbe.WaitAsync(() => Task.FromResult(!IsAlive(record.Pid)), deadline, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"the runner (pid {record.Pid}) did not stop within {deadline.TotalSeconds:0} s of SIGTERM; `kill -9 {record.Pid}` stops it at once");
        }

        RunnerFiles.Delete();
        return true;
    }

    /// <summary>Does the process exist and has it not exited (a zombie waits only for its parent to collect it)?</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var state = File.ReadAllText($"/proc/{pid}/stat");
            var end = state.LastIndexOf(')');
            return end > 0 && state.Length > end + 2 && state[end + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? ListeningUrl(string log, long from) =>
        Listening().Match(ReadFrom(log, from)) is { Success: true } match ? match.Groups[1].Value.TrimEnd('/') + "/" : null;

    private static string LastLine(string log, long from) =>
        ReadFrom(log, from).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "it printed nothing";

    private static string ReadFrom(string log, long from)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"listening on (https?://\S+?)/? ")]
    private static partial Regex Listening();
}
