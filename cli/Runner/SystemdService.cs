using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelRunner.Cli.Configuration;

namespace ModelRunner.Cli.Runner;

/// <summary>
/// The runner as a systemd user service, <c>modelrunner.service</c> in <c>~/.config/systemd/user</c>: started at
/// login, restarted on failure, stopped with SIGTERM. Only where this user has a systemd manager
/// (<c>systemctl --user</c> works).
/// </summary>
internal static partial class SystemdService
{
    public const string Unit = "modelrunner.service";

    public static string UnitPath => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
        "systemd",
        "user",
        Unit);

    public static bool IsInstalled => File.Exists(UnitPath);

    /// <summary>Null when <c>systemctl --user</c> works; else why not, in a few words.</summary>
    public static async Task<string?> UnavailableAsync(CancellationToken cancellationToken)
    {
        var (exit, _, error) = await SystemctlAsync(cancellationToken, "show-environment").ConfigureAwait(false);
        return exit switch
        {
            0 => null,
            null => "systemctl is not installed",
            _ => $"systemctl --user failed: {FirstLine(error)}",
        };
    }

    public static async Task<bool> IsActiveAsync(CancellationToken cancellationToken) =>
        IsInstalled && (await SystemctlAsync(cancellationToken, "is-active", "--quiet", Unit).ConfigureAwait(false)).Exit == 0;

    /// <summary>The URL the installed unit serves on, from its <c>ExecStart</c> line; null when none is installed.</summary>
    public static string? InstalledUrl()
    {
        if (!IsInstalled)
        {
            return null;
        }

        var exec = File.ReadLines(UnitPath).FirstOrDefault(line => line.StartsWith("ExecStart=", StringComparison.Ordinal)) ?? "";
        var host = HostArgument().Match(exec) is { Success: true } h ? h.Groups[1].Value : RunnerSettings.Default.Host;
        var port = PortArgument().Match(exec) is { Success: true } p ? int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) : RunnerSettings.Default.Port;
        return new RunnerSettings(host, port, null).Url(port);
    }

    /// <summary>Writes the unit, then <c>daemon-reload</c> and <c>enable --now</c>.</summary>
    /// <exception cref="InvalidOperationException">A systemctl step failed; the message has its error.</exception>
    public static async Task InstallAsync(RunnerSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(UnitPath)!);
        await File.WriteAllTextAsync(UnitPath, UnitText(settings), cancellationToken).ConfigureAwait(false);
        await RequireAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
        await RequireAsync(cancellationToken, "enable", "--now", Unit).ConfigureAwait(false);
    }

    /// <summary><c>disable --now</c>, removes the unit, <c>daemon-reload</c>.</summary>
    public static async Task UninstallAsync(CancellationToken cancellationToken)
    {
        await RequireAsync(cancellationToken, "disable", "--now", Unit).ConfigureAwait(false);
        File.Delete(UnitPath);
        await RequireAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
    }

    public static Task StopAsync(CancellationToken cancellationToken) => RequireAsync(cancellationToken, "stop", Unit);

    public static Task StartAsync(CancellationToken cancellationToken) => RequireAsync(cancellationToken, "start", Unit);

    private static string UnitText(RunnerSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine("# Written by `modelrunner install-runner`; `modelrunner uninstall-runner` removes it.");
        text.AppendLine("[Unit]");
        text.AppendLine("Description=ModelRunner: LLMs through OpenAI, Anthropic and Ollama APIs");
        text.AppendLine("After=network-online.target");
        text.AppendLine();
        text.AppendLine("[Service]");
        text.AppendLine(CultureInfo.InvariantCulture, $"ExecStart={string.Join(' ', RunnerCommandLine.Self().Concat(settings.ServeArguments).Select(Quote))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Environment={Quote($"MODEL_RUNNER_HOME={CliHome.Path}")}");
        if (settings.Gpu is { } gpu)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Environment={GpuOption.Variable}={GpuOption.ToEnvironment(gpu)}");
        }

        text.AppendLine("Restart=on-failure");
        text.AppendLine("KillSignal=SIGTERM");
        text.AppendLine("TimeoutStopSec=30");
        text.AppendLine();
        text.AppendLine("[Install]");
        text.AppendLine("WantedBy=default.target");
        return text.ToString();
    }

    private static string Quote(string word) => word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\') ? $"\"{word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : word;

    private static async Task RequireAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var (exit, _, error) = await SystemctlAsync(cancellationToken, arguments).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"systemctl --user {string.Join(' ', arguments)} failed: {FirstLine(error)}");
        }
    }

    /// <returns>The exit code (null when systemctl is not installed) and what it printed.</returns>
    private static async Task<(int? Exit, string Output, string Error)> SystemctlAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("systemctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--user");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (Win32Exception)
        {
            return (null, "", "");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";

    [GeneratedRegex(@"--host ""?([^\s""]+)")]
    private static partial Regex HostArgument();

    [GeneratedRegex(@"--port ""?(\d+)")]
    private static partial Regex PortArgument();
}
