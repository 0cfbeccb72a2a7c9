using System.Globalization;
using ModelRunner.Api.Hosting;

namespace ModelRunner.Cli.Runner;

/// <summary>How a runner is started: the address and port <c>serve</c> listens on, and <c>--gpu</c> (null: serve's own default).</summary>
internal sealed record RunnerSettings(string Host, int Port, string? Gpu)
{
    public static RunnerSettings Default { get; } = new("127.0.0.1", ServerOptions.DefaultPort, null);

    /// <summary>The arguments after the executable: <c>serve --host H --port P</c>.</summary>
    public IReadOnlyList<string> ServeArguments => ["serve", "--host", Host, "--port", Port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The URL clients use: a wildcard address is reached on loopback.</summary>
    public string Url(int port) => $"http://{(Host is "0.0.0.0" or "::" or "localhost" ? "127.0.0.1" : Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{port.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>The settings a recorded runner was started with, for <c>restart-runner</c> without flags.</summary>
    public static RunnerSettings From(RunnerRecord record)
    {
        var url = new Uri(record.Url);
        return new RunnerSettings(record.Host ?? url.Host, record.Port ?? url.Port, record.Gpu);
    }
}
