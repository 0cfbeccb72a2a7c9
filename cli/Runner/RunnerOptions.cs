using System.CommandLine;

namespace ModelRunner.Cli.Runner;

/// <summary><c>--port</c>, <c>--host</c> and <c>--gpu</c>, as DMR's runner verbs take them.</summary>
internal sealed class RunnerOptions
{
    public Option<int?> Port { get; } = new("--port") { Description = "Port to serve on (default 12434; 0 picks a free one)" };

    public Option<string?> Host { get; } = new("--host") { Description = "Address to listen on (default 127.0.0.1)" };

    public Option<string?> Gpu { get; } = GpuOption.Create();

    public void AddTo(Command command)
    {
        command.Options.Add(Port);
        command.Options.Add(Host);
        command.Options.Add(Gpu);
    }

    public bool AnyGiven(ParseResult parse) => parse.GetValue(Port) is not null || parse.GetValue(Host) is not null || parse.GetValue(Gpu) is not null;

    /// <summary>The flags given, over <paramref name="previous"/> (a runner being restarted) or the defaults.</summary>
    /// <exception cref="ArgumentException">The port is out of range.</exception>
    public RunnerSettings Resolve(ParseResult parse, RunnerSettings? previous = null)
    {
        var fallback = previous ?? RunnerSettings.Default;
        var port = parse.GetValue(Port) ?? fallback.Port;
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port {port} is not between 0 and 65535");
        }

        return new RunnerSettings(parse.GetValue(Host) ?? fallback.Host, port, parse.GetValue(Gpu) ?? fallback.Gpu);
    }
}
