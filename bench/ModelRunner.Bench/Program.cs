using ModelRunner.Bench;

// dotnet run -c Release --project bench/ModelRunner.Bench -- <benchmark> [options]; see bench/README.md.
var benchmarks = new Dictionary<string, Func<BenchArguments, Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["decode"] = DecodeBenchmark.RunAsync,
    ["batch"] = BatchDecodeBenchmark.RunAsync,
    ["conversation"] = ConversationBenchmark.RunAsync,
    ["pull"] = PullBenchmark.RunAsync,
    ["http"] = HttpBenchmark.RunAsync,
    ["memory"] = MemoryBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: ModelRunner.Bench <{string.Join('|', benchmarks.Keys)}> [--threads N] [--runs N] [--tokens N]");
    return 2;
}

await run(BenchArguments.Parse(args[1..])).ConfigureAwait(false);
return 0;
