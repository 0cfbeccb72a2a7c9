using System.Diagnostics;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>The pull test helper (ModelRunner.Distribution.PullProcess) running as a child process that a test can kill.</summary>
public sealed class ChildPull : IDisposable
{
    private readonly Process _process;

    private ChildPull(Process process) => _process = process;

    public static ChildPull Start(string storePath, string reference)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ModelRunner.Distribution.PullProcess.dll"));
        start.ArgumentList.Add(storePath);
        start.ArgumentList.Add(reference);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the pull process");
        _ = process.StandardError.ReadToEndAsync();
        return new ChildPull(process);
    }

    /// <summary>Reads the child's output until a line satisfies <paramref name="condition"/>; fails with what it printed if it ends or the deadline passes first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> condition, TimeSpan deadline, string what)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var seen = new List<string>();
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (condition(line))
                {
                    return line;
                }

                seen.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the pull process did not report {what} within {deadline.TotalSeconds} s; it printed:\n{string.Join('\n', seen.TakeLast(20))}");
        }

        throw new InvalidOperationException($"the pull process ended (exit {(_process.WaitForExit(5000) ? _process.ExitCode : -1)}) before reporting {what}; it printed:\n{string.Join('\n', seen.TakeLast(20))}");
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
