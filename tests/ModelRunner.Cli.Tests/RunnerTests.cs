using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelRunner.Cli.Tests;

/// <summary>
/// start-runner, status, restart-runner, stop-runner and the systemd verbs as real processes: the runner is a real
/// <c>serve</c> in the background, in a home folder of the test's own.
/// </summary>
public sealed partial class RunnerTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("modelrunner-cli-runner-");

    /// <summary>No MODEL_RUNNER_HOST (the default context finds the runner) and no systemd unit of the real user's.</summary>
    private Dictionary<string, string> Environment => new()
    {
        ["MODEL_RUNNER_HOME"] = _home.FullName,
        ["MODEL_RUNNER_HOST"] = "",
        ["XDG_CONFIG_HOME"] = Path.Combine(_home.FullName, "config"),
    };

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => CliProcess.RunAsync(arguments, Environment);

    private async Task<string> SucceedAsync(params string[] arguments)
    {
        var (exit, output, error) = await RunAsync(arguments);
        Assert.True(exit == 0, $"modelrunner {string.Join(' ', arguments)} exited {exit}: {error}{output}");
        return output;
    }

    [Fact]
    public async Task StartStatusRestartStop_ABackgroundRunner()
    {
        var started = await SucceedAsync("start-runner", "--port", "0", "--gpu", "none");
        var first = Started().Match(started);
        Assert.True(first.Success, started);
        var pid = int.Parse(first.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(IsAlive(pid));

        var status = await SucceedAsync("status");
        using var statusJson = JsonDocument.Parse(await SucceedAsync("status", "--json"));
        var version = await SucceedAsync("version");
        var again = await SucceedAsync("start-runner");

        Assert.Contains($"is running at {first.Groups["url"].Value}", status, StringComparison.Ordinal);
        Assert.Contains($"background runner (start-runner), pid {pid}", status, StringComparison.Ordinal);
        Assert.Equal("background", statusJson.RootElement.GetProperty("runner").GetProperty("kind").GetString());
        Assert.Equal(pid, statusJson.RootElement.GetProperty("runner").GetProperty("pid").GetInt32());
        Assert.DoesNotContain("not running", version, StringComparison.Ordinal);
        Assert.StartsWith("ModelRunner is already running", again, StringComparison.Ordinal);
        Assert.Contains("listening on", await File.ReadAllTextAsync(Path.Combine(_home.FullName, "runner.log")), StringComparison.Ordinal);

        var restarted = Restarted().Match(await SucceedAsync("restart-runner"));
        Assert.True(restarted.Success);
        var newPid = int.Parse(restarted.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(pid, newPid);
        Assert.False(IsAlive(pid));
        Assert.Contains($"pid {newPid}", await SucceedAsync("status"), StringComparison.Ordinal);

        var stopped = await SucceedAsync("stop-runner");
        var down = await RunAsync("status");
        var stoppedAgain = await SucceedAsync("stop-runner");

        Assert.StartsWith($"Stopped ModelRunner (pid {newPid})", stopped, StringComparison.Ordinal);
        Assert.False(IsAlive(newPid));
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("not running", down.Output, StringComparison.Ordinal);
        Assert.StartsWith("ModelRunner is not running", stoppedAgain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRunner_APortInUse_FailsWithTheRunnersOwnError()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, _, error) = await RunAsync("start-runner", "--port", port);

        Assert.Equal(1, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("exited before it answered", error, StringComparison.Ordinal);
        Assert.Contains("runner.log", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallRunner_WithoutSystemd_SaysSoAndPointsToStartRunner()
    {
        // A machine without systemd, whatever this one has: no systemctl on the PATH.
        var noSystemd = new Dictionary<string, string>(Environment) { ["PATH"] = Directory.CreateDirectory(Path.Combine(_home.FullName, "empty-path")).FullName };

        var install = await CliProcess.RunAsync(["install-runner", "--port", "12999"], noSystemd);
        var uninstall = await CliProcess.RunAsync(["uninstall-runner"], noSystemd);

        Assert.Equal(1, install.ExitCode);
        Assert.Single(install.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("systemctl is not installed", install.Error, StringComparison.Ordinal);
        Assert.Contains("start-runner", install.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.FullName, "config", "systemd", "user", "modelrunner.service")));
        Assert.Equal(0, uninstall.ExitCode);
        Assert.StartsWith("Nothing to uninstall", uninstall.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        // A failed assertion must not leave a runner behind: stop the one this test's home recorded, if any.
        var record = Path.Combine(_home.FullName, "runner.json");
        if (File.Exists(record) && JsonDocument.Parse(File.ReadAllText(record)).RootElement.GetProperty("pid").GetInt32() is var pid && IsAlive(pid))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        _home.Delete(recursive: true);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var state = File.ReadAllText($"/proc/{pid}/stat");
            return state[(state.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^ModelRunner is running at (?<url>http://\S+) \(pid (?<pid>\d+); logs in ")]
    private static partial Regex Started();

    [GeneratedRegex(@"^ModelRunner restarted at (?<url>http://\S+) \(pid (?<pid>\d+); ")]
    private static partial Regex Restarted();
}
