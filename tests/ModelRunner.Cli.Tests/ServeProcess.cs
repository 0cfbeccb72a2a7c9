using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelRunner.Cli.Tests;

/// <summary>
/// <c>modelrunner serve</c> as a child process on a free port with its own home: for tests that need a
/// second server (over TLS, say), one with its own environment, or one to stop (SIGTERM) or kill
/// (SIGKILL) and start again on the same home.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private ServeProcess(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    /// <exception cref="InvalidOperationException">It exited, or did not listen within two minutes; the message has what it printed.</exception>
    public static Task<ServeProcess> StartAsync(string home, params string[] arguments) =>
        StartAsync(home, new Dictionary<string, string>(), arguments);

    /// <param name="environment">Variables set for the server besides the inherited ones.</param>
    /// <exception cref="InvalidOperationException">It exited, or did not listen within two minutes; the message has what it printed.</exception>
    public static async Task<ServeProcess> StartAsync(string home, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { CliProcess.Dll, "serve", "--port", "0", "--home", home }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
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

    /// <summary><c>kill -9</c>: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Process.Dispose();
    }

    [GeneratedRegex(@"listening on (https?://\S+?)/? ")]
    private static partial Regex Listening();
}
