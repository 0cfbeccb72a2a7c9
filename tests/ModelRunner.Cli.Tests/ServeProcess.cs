using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelRunner.Cli.Tests;

/// <summary><c>modelrunner serve</c> as a child process on a free port with its own home, for tests that need a second server (over TLS, say).</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <exception cref="InvalidOperationException">It exited, or did not listen within two minutes; the message has what it printed.</exception>
    public static async Task<ServeProcess> StartAsync(string home, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { CliProcess.Dll, "serve", "--port", "0", "--home", home }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("modelrunner serve did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        var printed = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            printed.AppendLine(line);
            if (Listening().Match(line) is { Success: true } match)
            {
                _ = process.StandardError.ReadToEndAsync();
                return new ServeProcess(process, new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }

        throw new InvalidOperationException($"modelrunner serve exited before it listened: {printed}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (https?://\S+?)/? ")]
    private static partial Regex Listening();
}
