using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;
using ModelRunner.Grains.Models;

namespace ModelRunner.Bench;

/// <summary>
/// Whether an idle unload gives the memory back: the server process's resident memory (VmRSS)
/// before smollm2-360m loads, once it is loaded and has answered, and after its keep-alive ran
/// out. Target: after the unload, at most 5% of the model's size above the first figure, within
/// keep-alive + 1 s.
/// </summary>
internal static class MemoryBenchmark
{
    private const string Model = "bench/smollm2:360m";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(BenchArguments arguments)
    {
        var path = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        var size = new FileInfo(path).Length;
        var home = Directory.CreateTempSubdirectory("modelrunner-bench-memory-").FullName;
        try
        {
            await using var app = ModelRunnerServer.Build(new ServerOptions { Port = 0, Home = home });
            await ModelRunnerServer.StartAsync(app).ConfigureAwait(false);
            await app.Services.GetRequiredService<IModelDistribution>().PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [Model] }).ConfigureAwait(false);
            var backend = app.Services.GetRequiredService<IModelBackend>();

            for (var run = 1; run <= arguments.Runs; run++)
            {
                Settle();
                var before = ResidentBytes();
                var request = new BackendRequest { Model = Model, Prompt = ModelPrompt.Raw("The history of the city begins"), Options = new GenerationOptions { MaxTokens = 32 }, KeepAlive = KeepAlive };
                await foreach (var _ in backend.GenerateAsync(request).ConfigureAwait(false))
                {
                }

                var loaded = ResidentBytes();
                var idleSince = Stopwatch.StartNew();

                long after;
                do
                {
                    await Task.Delay(100).ConfigureAwait(false);
                    Settle();
                    after = ResidentBytes();
                }
                while (after - before > size / 20 && idleSince.Elapsed < KeepAlive + TimeSpan.FromSeconds(1));

                var verdict = after - before <= size / 20 ? $"met after {idleSince.Elapsed.TotalSeconds:F1} s" : "NOT met";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}  before {before / 1e6:F0} MB   loaded {loaded / 1e6:F0} MB   after unload {after / 1e6:F0} MB   (after - before) / model size = {(double)(after - before) / size:F3}   target <= 0.05 within keep_alive {KeepAlive.TotalSeconds:F0} s + 1 s: {verdict}"));
            }

            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    // Managed garbage is not what is measured: collect it so only native memory moves the figure.
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
