using System.Diagnostics;
using System.Globalization;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Testing;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>
/// Pull throughput of the smollm2-360m Q4_K_M model (about 270 MB) from a real registry on loopback, against curl
/// downloading the same GGUF blob from the same registry; runs alternate and medians are compared. Then one pull is
/// cut at half the blob, and the bytes the registry sends after the cut are compared with what was still missing.
/// </summary>
internal static partial class PullBenchmark
{
    private const string Repository = "bench/smollm2";

    public static async Task RunAsync(BenchArguments arguments)
    {
        var source = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        // MODELRUNNER_BENCH_WORK puts the stores and curl's file elsewhere, e.g. on a tmpfs to leave the disk out.
        var work = Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_WORK") is { Length: > 0 } folder
            ? Directory.CreateDirectory(Path.Combine(folder, $"modelrunner-bench-pull-{Guid.NewGuid():N}"))
            : Directory.CreateTempSubdirectory("modelrunner-bench-pull-");
        try
        {
            await using var registry = await RegistryServer.StartAsync().ConfigureAwait(false);
            var reference = $"{registry.Host}/{Repository}:v1";
            string blob;
            using (var publisher = Create(Path.Combine(work.FullName, "publisher")))
            {
                var model = await publisher.PackageAsync(new PackageRequest { GgufPaths = [source], Tags = [reference] }).ConfigureAwait(false);
                await publisher.PushModelAsync(reference).ConfigureAwait(false);
                blob = "sha256:" + Path.GetFileName(model.GgufPaths[0]);
            }

            var size = new FileInfo(source).Length;
            var curlRates = new List<double>();
            var pullRates = new List<double>();
            var curlSyncedRates = new List<double>();
            var curlTarget = Path.Combine(work.FullName, "curl.gguf");
            var store = Path.Combine(work.FullName, "store");

            // Warm-up: both read the blob once, so the registry serves from the page cache for every measured run.
            await CurlAsync(registry, blob, curlTarget).ConfigureAwait(false);
            for (var run = 0; run < arguments.Runs; run++)
            {
                // Every run starts with nothing waiting to be written, so no run pays for the previous one's writes.
                File.Delete(curlTarget);
                await SyncAsync().ConfigureAwait(false);
                curlRates.Add(size / await CurlAsync(registry, blob, curlTarget).ConfigureAwait(false));

                // The same download made as durable as a pull makes it: curl, then fsync of its file.
                File.Delete(curlTarget);
                await SyncAsync().ConfigureAwait(false);
                var durable = Stopwatch.StartNew();
                await CurlAsync(registry, blob, curlTarget).ConfigureAwait(false);
                await SyncAsync(curlTarget).ConfigureAwait(false);
                curlSyncedRates.Add(size / durable.Elapsed.TotalSeconds);
                File.Delete(curlTarget);
                await SyncAsync().ConfigureAwait(false);

                if (Directory.Exists(store))
                {
                    Directory.Delete(store, recursive: true);
                }

                using var consumer = Create(store);
                var clock = Stopwatch.StartNew();
                await consumer.PullModelAsync(reference).ConfigureAwait(false);
                pullRates.Add(size / clock.Elapsed.TotalSeconds);
            }

            var (remaining, resent) = await InterruptedPullAsync(registry, reference, size, Path.Combine(work.FullName, "interrupted")).ConfigureAwait(false);

            var ratio = Statistics.Median(pullRates) / Statistics.Median(curlRates);
            Console.WriteLine($"model           smollm2-360m Q4_K_M, GGUF blob {size / 1e6:F1} MB, docker-registry on 127.0.0.1, {arguments.Runs} runs, medians");
            Console.WriteLine($"written to      {work.FullName} ({FileSystemOf(work.FullName)})");
            Console.WriteLine($"curl            {Statistics.Median(curlRates) / 1e6:F0} MB/s   (curl -o FILE .../v2/{Repository}/blobs/<digest>)");
            Console.WriteLine($"curl + fsync    {Statistics.Median(curlSyncedRates) / 1e6:F0} MB/s   (the same, then `sync FILE`: on disk, as a pull leaves its blobs)");
            Console.WriteLine($"modelrunner     {Statistics.Median(pullRates) / 1e6:F0} MB/s   (whole pull: manifest, config, blob streamed through SHA-256, fsync, commit)");
            Console.WriteLine($"pull ratio      modelrunner / curl = {ratio:F3}   (target >= 0.9)");
            Console.WriteLine($"durable ratio   modelrunner / (curl + fsync) = {Statistics.Median(pullRates) / Statistics.Median(curlSyncedRates):F3}");
            Console.WriteLine($"interruption    cut at 50%: {remaining} bytes were missing, {resent} bytes sent after the cut, excess {resent - remaining} bytes   (target: excess <= 1048576)");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Pulls through a proxy that cuts the blob's connection once, at half the blob.</summary>
    private static async Task<(long Remaining, long Resent)> InterruptedPullAsync(RegistryServer registry, string reference, long size, string store)
    {
        await using var proxy = new TcpProxy(registry.Port, new ProxyBehavior { CutAfter = _ => size / 2, MaxCuts = 1 });
        using var consumer = Create(store);
        long? resumedFrom = null;
        var progress = new Progress(e =>
        {
            // "<id>: <why> after N of M bytes; resuming": N is what the client had kept when the connection broke.
            if (e.Kind == TransferEventKind.Warning && ResumePoint().Match(e.Message) is { Success: true } match && match.Groups[2].Value == $"{size}")
            {
                resumedFrom ??= long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        });
        await consumer.PullModelAsync(reference.Replace(registry.Host, proxy.Host, StringComparison.Ordinal), progress).ConfigureAwait(false);
        if (proxy.Cuts != 1 || resumedFrom is null)
        {
            throw new InvalidOperationException($"the interrupted pull saw {proxy.Cuts} cuts and {(resumedFrom is null ? "no" : "a")} resume; expected one of each");
        }

        return (size - resumedFrom.Value, proxy.BytesToClient - proxy.BytesToClientAtLastCut);
    }

    /// <summary>The type of the file system holding <paramref name="path"/>, from /proc/mounts (longest matching mount point).</summary>
    private static string FileSystemOf(string path)
    {
        try
        {
            return File.ReadLines("/proc/mounts")
                .Select(line => line.Split(' '))
                .Where(parts => parts.Length > 2 && (path == parts[1] || path.StartsWith(parts[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
                .OrderByDescending(parts => parts[1].Length)
                .Select(parts => parts[2])
                .FirstOrDefault() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Runs coreutils' sync: on a file, fsync of it; without, everything dirty on every file system.</summary>
    private static async Task SyncAsync(string? file = null)
    {
        using var process = Process.Start("sync", file is null ? [] : [file]) ?? throw new InvalidOperationException("sync is not installed");
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>curl downloads the blob to a file; returns curl's own transfer time in seconds.</summary>
    private static async Task<double> CurlAsync(RegistryServer registry, string blob, string target)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-sSf", "-o", target, "-w", "%{time_total}", $"http://{registry.Host}/v2/{Repository}/blobs/{blob}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("curl is not installed");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        var error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode == 0
            ? double.Parse(output, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"curl failed ({process.ExitCode}): {error}");
    }

    private static IModelDistribution Create(string store) => ModelDistribution.Create(new ModelDistributionOptions
    {
        StorePath = store,
        Credentials = RegistryCredentials.None,
    });

    [System.Text.RegularExpressions.GeneratedRegex(@"after (\d+) of (\d+) bytes; resuming\z")]
    private static partial System.Text.RegularExpressions.Regex ResumePoint();

    /// <summary>Reports synchronously, so the interruption is seen before the pull goes on.</summary>
    private sealed class Progress(Action<TransferEvent> report) : IProgress<TransferEvent>
    {
        public void Report(TransferEvent value) => report(value);
    }
}
