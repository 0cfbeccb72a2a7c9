using System.Diagnostics;
using System.Text;

namespace ModelRunner.Cluster.Tests;

/// <summary>One cluster node: a real <c>modelrunner serve --cluster</c> process with its own home, HTTP and silo ports on loopback.</summary>
public sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();

    private ClusterNodeProcess(Process process, Uri address, string home)
    {
        Process = process;
        Address = address;
        Home = home;
    }

    public Process Process { get; }

    public Uri Address { get; }

    public string Home { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a node; it is up once its API answers <c>/version</c>.</summary>
    public static async Task<ClusterNodeProcess> StartAsync(string cluster, bool demo = false, string? home = null, string? apiKey = null)
    {
        var node = Start(cluster, demo, home, apiKey);
        await node.WaitUntilUpAsync();
        return node;
    }

    /// <summary>Starts the process without waiting for it.</summary>
    public static ClusterNodeProcess Start(string cluster, bool demo = false, string? home = null, string? apiKey = null)
    {
        var port = LoopbackPort.Free();
        var folder = home ?? Directory.CreateTempSubdirectory("modelrunner-node-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        List<string> arguments = [Path.Combine(AppContext.BaseDirectory, "modelrunner.dll"), .. ServeArguments(port, LoopbackPort.Free(), "127.0.0.1"), "--home", folder];
        if (demo)
        {
            arguments.Add("--demo");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As docker-compose.yml sets it (ComposeFileTests checks they agree).
        start.Environment["MODEL_RUNNER_CLUSTER"] = cluster;
        start.Environment["MODEL_RUNNER_ORLEANS_DASHBOARD"] = "0";
        if (apiKey is not null)
        {
            start.Environment["MODEL_RUNNER_API_KEY"] = apiKey;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("modelrunner serve did not start");
        var node = new ClusterNodeProcess(process, new Uri($"http://127.0.0.1:{port}/"), folder);
        process.OutputDataReceived += (_, line) => node.Append(line.Data);
        process.ErrorDataReceived += (_, line) => node.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>How a cluster node is started, here and in docker-compose.yml; the database comes from <c>MODEL_RUNNER_CLUSTER</c>.</summary>
    public static IReadOnlyList<string> ServeArguments(int port, int siloPort, string advertise) =>
        ["serve", "--port", $"{port}", "--silo-port", $"{siloPort}", "--advertise", advertise];

    public async Task WaitUntilUpAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!deadline.IsCancellationRequested)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"node {Address} exited ({Process.ExitCode}) before it answered:\n{Log}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(Address, "/version"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100, CancellationToken.None);
        }

        throw new InvalidOperationException($"node {Address} did not answer within 2 minutes:\n{Log}");
    }

    /// <summary>SIGTERM, as <c>docker stop</c> and Kubernetes send it: a graceful stop.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
