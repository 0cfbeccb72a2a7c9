using System.Diagnostics;
using System.Globalization;
using ModelRunner.Testing;

namespace ModelRunner.Bench.Peer;

/// <summary>
/// llama.cpp's own llama-server on a loopback port: built from the llama.cpp commit the engine
/// runs (<c>eng/fetch-llama.sh llama-server</c>, cached under the bench's work folder) unless
/// <c>LLAMA_SERVER</c> names a binary.
/// </summary>
internal sealed class LlamaServerProcess : IAsyncDisposable
{
    private LlamaServerProcess(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    /// <summary>The binary to run: <c>LLAMA_SERVER</c>, else one built (once) under <paramref name="workFolder"/>.</summary>
    public static async Task<string> FindOrBuildAsync(string workFolder)
    {
        if (Environment.GetEnvironmentVariable("LLAMA_SERVER") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"LLAMA_SERVER={given} does not exist");
        }

        var folder = Path.Combine(workFolder, "llama-server");
        var binary = Path.Combine(folder, "bin", "llama-server");
        if (!File.Exists(binary))
        {
            var script = Path.Combine(RepositoryRoot(), "eng", "fetch-llama.sh");
            Console.Error.WriteLine($"building llama-server into {folder} (once; several minutes)...");
            using var build = Process.Start(new ProcessStartInfo("bash", [script, "llama-server", folder]))!;
            await build.WaitForExitAsync().ConfigureAwait(false);
            if (build.ExitCode != 0 || !File.Exists(binary))
            {
                throw new InvalidOperationException($"building llama-server failed ({build.ExitCode}); see {folder}/build.log, or set LLAMA_SERVER");
            }
        }

        return binary;
    }

    /// <summary>Serves <paramref name="model"/> with <paramref name="sequences"/> slots of <paramref name="contextPerSequence"/> tokens each.</summary>
    public static async Task<LlamaServerProcess> StartAsync(string binary, string model, int threads, int sequences, int contextPerSequence)
    {
        var port = LoopbackPort.Free();
        string[] arguments =
        [
            "-m", model, "--host", "127.0.0.1", "--port", $"{port}",
            "-t", $"{threads}", "-tb", $"{threads}",
            "-np", $"{sequences}", "-c", (contextPerSequence * sequences).ToString(CultureInfo.InvariantCulture),
            "-b", "512", "-ub", "512", "--no-webui",
            // LLAMA_SERVER_FLAGS adds llama-server flags, e.g. "--flash-attn off".
            .. (Environment.GetEnvironmentVariable("LLAMA_SERVER_FLAGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ];
        var process = Process.Start(new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {binary}");
        var log = new List<string>();
        process.OutputDataReceived += (_, line) => Record(log, line.Data);
        process.ErrorDataReceived += (_, line) => Record(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new LlamaServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var health = await http.GetAsync("health").ConfigureAwait(false);
                if (health.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        await server.DisposeAsync().ConfigureAwait(false);
        string tail;
        lock (log)
        {
            tail = string.Join('\n', log.TakeLast(20));
        }

        throw new InvalidOperationException($"llama-server did not become healthy within 2 minutes:\n{tail}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        await Process.WaitForExitAsync().ConfigureAwait(false);
        Process.Dispose();
    }

    private static void Record(List<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Add(line);
            if (log.Count > 200)
            {
                log.RemoveAt(0);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelRunner.sln")))
            {
                return folder.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
