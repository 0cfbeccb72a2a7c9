using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelRunner.Testing;

/// <summary>
/// <c>modelrunner serve</c> as a child process on a free port with its own home: for tests that need a
/// second server (over TLS, say), one with its own environment, or one to stop (SIGTERM) or kill
/// (SIGKILL) and start again on the same home; and for benchmarks that measure the server alone.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable, IDisposable
{
    private ServeProcess(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    /// <summary>The CLI a test project that references it carries beside its own assembly.</summary>
    public static string DefaultDll => Path.Combine(AppContext.BaseDirectory, "modelrunner.dll");

    /// <exception cref="InvalidOperationException">It exited, or did not listen within two minutes; the message has what it printed.</exception>
    public static Task<ServeProcess> StartAsync(string home, params string[] arguments) =>
        StartAsync(DefaultDll, home, new Dictionary<string, string>(), arguments);

    /// <param name="environment">Variables set for the server besides the inherited ones.</param>
    /// <exception cref="InvalidOperationException">It exited, or did not listen within two minutes; the message has what it printed.</exception>
    public static Task<ServeProcess> StartAsync(string home, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartAsync(DefaultDll, home, environment, arguments);

    /// <param name="dll">The <c>modelrunner.dll</c> to run.</param>
    /// <param name="environment">Variables set for the server besides the inherited ones.</param>
    /// <exception cref="InvalidOperationException">It exited, or did not listen within two minutes; the message has what it printed.</exception>
    public static async Task<ServeProcess> StartAsync(string dll, string home, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { dll, "serve", "--port", "0", "--home", home }.Concat(arguments))
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
        while (await process.StandardError.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
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
            await Process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        Process.Dispose();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    [GeneratedRegex(@"listening on (https?://\S+?)/? ")]
    private static partial Regex Listening();
}
