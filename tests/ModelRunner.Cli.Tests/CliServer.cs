using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ModelRunner.Cli.Tests;

/// <summary>
/// A real server for the CLI to talk to: <c>modelrunner serve --demo</c> as a child process on a
/// free loopback port, with a fresh home (so it creates the demo model <c>ai/tiny-random</c>).
/// </summary>
public sealed partial class CliServer : IAsyncLifetime
{
    public const string Model = "ai/tiny-random";

    private Process? _process;

    public string Home { get; } = Directory.CreateTempSubdirectory("modelrunner-cli-server-").FullName;

    /// <summary>The CLI's own home (contexts, packaging's staging), apart from the user's and the server's.</summary>
    public string CliHome { get; } = Directory.CreateTempSubdirectory("modelrunner-cli-home-").FullName;

    public Uri Address { get; private set; } = new("http://127.0.0.1:0");

    /// <summary>The environment a CLI invocation needs to reach this server.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["MODEL_RUNNER_HOST"] = Address.ToString(),
        ["MODEL_RUNNER_HOME"] = CliHome,
    };

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { CliProcess.Dll, "serve", "--port", "0", "--home", Home, "--demo" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("modelrunner serve did not start");
        _ = _process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await _process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                Address = new Uri(match.Groups[1].Value);
                _ = _process.StandardError.ReadToEndAsync();

                // Answers without max_tokens run to the end of the context: keep it small for CI.
                var configured = await CliProcess.RunAsync(["configure", "--context-size", "512", Model], Environment);
                if (configured.ExitCode != 0)
                {
                    throw new InvalidOperationException($"configure failed: {configured.Error}");
                }

                return;
            }
        }

        throw new InvalidOperationException($"modelrunner serve exited ({_process.ExitCode}) before it listened");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(Home, recursive: true);
        Directory.Delete(CliHome, recursive: true);
    }

    [GeneratedRegex(@"listening on (http://\S+?)/? ")]
    private static partial Regex Listening();
}

[CollectionDefinition(Name)]
public sealed class CliServerCollection : ICollectionFixture<CliServer>
{
    public const string Name = "cli server";
}
