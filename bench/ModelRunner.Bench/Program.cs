using ModelRunner.Bench;
using ModelRunner.Bench.Peer;
using ModelRunner.Engine.Native;

// dotnet run -c Release --project bench/ModelRunner.Bench -- <benchmark> [options]; see bench/README.md.
var benchmarks = new Dictionary<string, Func<BenchArguments, Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["decode"] = DecodeBenchmark.RunAsync,
    ["batch"] = BatchDecodeBenchmark.RunAsync,
    ["conversation"] = ConversationBenchmark.RunAsync,
    ["pull"] = PullBenchmark.RunAsync,
    ["http"] = HttpBenchmark.RunAsync,
    ["cluster"] = ClusterBenchmark.RunAsync,
    ["memory"] = MemoryBenchmark.RunAsync,
    ["soak"] = ModelRunner.Bench.Soak.SoakBenchmark.RunAsync,
    ["peer"] = PeerBenchmark.RunAsync,
    ["threads"] = ThreadsBenchmark.RunAsync,
    ["speculative"] = SpeculativeBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: ModelRunner.Bench <{string.Join('|', benchmarks.Keys)}> [--threads N] [--runs N] [--tokens N]");
    return 2;
}

// Which build ran, and on what: figures from a CPU and a GPU run are not comparable.
var runtime = LlamaLibrary.Load();
var devices = string.Join(", ", LlamaLibrary.ReadDevices().Select(device => device.Description));
Console.WriteLine($"runtime         {runtime} on {devices}{(runtime.Notice is null ? "" : $" ({runtime.Notice})")}");
await run(BenchArguments.Parse(args[1..])).ConfigureAwait(false);
return 0;
