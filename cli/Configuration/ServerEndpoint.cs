using ModelRunner.Cli.Runner;

namespace ModelRunner.Cli.Configuration;

/// <summary>
/// Where the CLI's requests go, and why there: <c>MODEL_RUNNER_HOST</c> when set; else the context in use
/// (<c>context use</c>); else the runner <c>start-runner</c> started, while it runs; else the one
/// <c>install-runner</c> installed; else http://127.0.0.1:12434.
/// </summary>
/// <param name="Address">The base URL, ending in a slash.</param>
/// <param name="Via">What chose it, for messages: <c>MODEL_RUNNER_HOST</c>, <c>context NAME</c>, <c>runner</c>, <c>service</c>, <c>default</c>.</param>
/// <param name="Context">The context's TLS settings, when a context chose it.</param>
internal sealed record ServerEndpoint(Uri Address, string Via, RunnerContext? Context = null)
{
    public const string DefaultAddress = "http://127.0.0.1:12434";

    /// <exception cref="InvalidOperationException">The context in use no longer exists, or a URL is malformed.</exception>
    public static ServerEndpoint Resolve()
    {
        if (Environment.GetEnvironmentVariable("MODEL_RUNNER_HOST") is { Length: > 0 } host)
        {
            return new ServerEndpoint(Parse(host, "MODEL_RUNNER_HOST"), "MODEL_RUNNER_HOST");
        }

        var config = CliConfig.Load();
        if (config.CurrentContext is { } name && name != CliConfig.DefaultContext)
        {
            var context = config.Contexts.GetValueOrDefault(name)
                ?? throw new InvalidOperationException($"the context in use, '{name}', does not exist: `modelrunner context use default` or create it again");
            return new ServerEndpoint(Parse(context.Host, $"context '{name}'"), $"context {name}", context);
        }

        return Local();
    }

    /// <summary>
    /// The default context's endpoint: the background runner while it runs, else the installed systemd service's
    /// address, else the default address.
    /// </summary>
    public static ServerEndpoint Local() =>
        RunnerFiles.LoadAlive() is { } runner ? new ServerEndpoint(Parse(runner.Url, "runner.json"), "runner")
        : SystemdService.InstalledUrl() is { } service ? new ServerEndpoint(Parse(service, SystemdService.UnitPath), "service")
        : new ServerEndpoint(new Uri(DefaultAddress + "/"), "default");

    /// <exception cref="InvalidOperationException">Not an absolute http(s) URL.</exception>
    public static Uri Parse(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{what}: '{url}' is not an http:// or https:// URL");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
