using System.CommandLine;
using ModelRunner.Cli.Runner;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// The runner's lifecycle as a local user expects it: <c>start-runner</c> (serve in the background),
/// <c>stop-runner</c>, <c>restart-runner</c>, <c>install-runner</c> / <c>uninstall-runner</c> (a systemd user service).
/// Each prints one line; a failure is one line on stderr and exit 1.
/// </summary>
internal static class RunnerCommands
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    // serve stops within 10 s of SIGTERM; this leaves room for a loaded machine.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public static Command Start()
    {
        var options = new RunnerOptions();
        var command = new Command("start-runner", "Start the runner in the background (logs in the ModelRunner folder)");
        options.AddTo(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            if (RunnerFiles.LoadAlive() is { } running)
            {
                Console.WriteLine($"ModelRunner is already running at {running.Url} (pid {running.Pid}; logs in {running.Log})");
                return;
            }

            if (await SystemdService.IsActiveAsync(cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"ModelRunner is already running as the systemd user service {SystemdService.Unit} at {SystemdService.InstalledUrl()}");
                return;
            }

            var settings = options.Resolve(parse);
            if (settings.Port != 0 && await RunnerProbe.AnswersAsync(settings.Url(settings.Port), cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"ModelRunner is already running at {settings.Url(settings.Port)} (not started by start-runner: `modelrunner serve`, say)");
                return;
            }

            var record = await BackgroundRunner.StartAsync(settings, StartTimeout, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"ModelRunner is running at {record.Url} (pid {record.Pid}; logs in {record.Log})");
        });
        return command;
    }

    public static Command Stop()
    {
        var command = new Command("stop-runner", "Stop the runner (SIGTERM: running answers finish, conversations are saved)");
        CommandAction.Set(command, async (_, cancellationToken) =>
        {
            if (await SystemdService.IsActiveAsync(cancellationToken).ConfigureAwait(false))
            {
                await SystemdService.StopAsync(cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"Stopped the systemd user service {SystemdService.Unit}");
                return;
            }

            if (RunnerFiles.Load() is { } record && await BackgroundRunner.StopAsync(record, StopTimeout, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"Stopped ModelRunner (pid {record.Pid})");
                return;
            }

            Console.WriteLine("ModelRunner is not running (nothing started with start-runner or install-runner runs)");
        });
        return command;
    }

    public static Command Restart()
    {
        var options = new RunnerOptions();
        var command = new Command("restart-runner", "Stop the runner and start it again (flags change how it starts)");
        options.AddTo(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            if (SystemdService.IsInstalled)
            {
                if (options.AnyGiven(parse))
                {
                    throw new ArgumentException($"--port, --host and --gpu change a background runner; the systemd service takes them from install-runner (run it again)");
                }

                await SystemdService.StopAsync(cancellationToken).ConfigureAwait(false);
                await SystemdService.StartAsync(cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"Restarted the systemd user service {SystemdService.Unit}");
                return;
            }

            var previous = RunnerFiles.Load();
            var settings = options.Resolve(parse, previous is null ? null : RunnerSettings.From(previous));
            if (previous is not null)
            {
                await BackgroundRunner.StopAsync(previous, StopTimeout, cancellationToken).ConfigureAwait(false);
            }

            var record = await BackgroundRunner.StartAsync(settings, StartTimeout, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"ModelRunner restarted at {record.Url} (pid {record.Pid}; logs in {record.Log})");
        });
        return command;
    }

    public static Command Install()
    {
        var options = new RunnerOptions();
        var command = new Command("install-runner", $"Install the runner as a systemd user service ({SystemdService.Unit}), started now and at login");
        options.AddTo(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            if (await SystemdService.UnavailableAsync(cancellationToken).ConfigureAwait(false) is { } why)
            {
                throw new InvalidOperationException($"cannot install a systemd user service here ({why}); `modelrunner start-runner` runs the runner in the background instead");
            }

            if (RunnerFiles.LoadAlive() is { } running)
            {
                throw new InvalidOperationException($"a background runner is running (pid {running.Pid}); `modelrunner stop-runner` first, so the service can have its port");
            }

            var settings = options.Resolve(parse);
            if (settings.Port == 0)
            {
                throw new ArgumentException("--port 0 picks a different port at every start; a service needs a fixed one");
            }

            await SystemdService.InstallAsync(settings, cancellationToken).ConfigureAwait(false);
            var url = settings.Url(settings.Port);
            if (!await RunnerProbe.WaitAsync(() => RunnerProbe.AnswersAsync(url, cancellationToken), StartTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{SystemdService.Unit} is installed but did not answer at {url} within {StartTimeout.TotalSeconds:0} s; see `journalctl --user -u {SystemdService.Unit}`");
            }

            Console.WriteLine($"Installed and started the systemd user service {SystemdService.Unit} at {url}");
        });
        return command;
    }

    public static Command Uninstall()
    {
        var command = new Command("uninstall-runner", "Remove the systemd user service and stop a background runner (models are kept)");
        CommandAction.Set(command, async (_, cancellationToken) =>
        {
            var removed = new List<string>();
            if (SystemdService.IsInstalled)
            {
                await SystemdService.UninstallAsync(cancellationToken).ConfigureAwait(false);
                removed.Add($"the systemd user service {SystemdService.Unit}");
            }

            if (RunnerFiles.Load() is { } record && await BackgroundRunner.StopAsync(record, StopTimeout, cancellationToken).ConfigureAwait(false))
            {
                removed.Add($"the background runner (pid {record.Pid})");
            }

            Console.WriteLine(removed.Count == 0
                ? "Nothing to uninstall: no systemd service is installed and no background runner runs"
                : $"Removed {string.Join(" and ", removed)}");
        });
        return command;
    }
}
