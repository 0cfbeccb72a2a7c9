using System.Globalization;

namespace ModelRunner.Bench;

/// <summary>Options shared by the benchmarks: <c>--threads</c>, <c>--runs</c>, <c>--tokens</c>, <c>--models</c>, <c>--shape</c> (for those that take one).</summary>
internal sealed record BenchArguments(int Threads, int Runs, int Tokens, string ModelFolder, string Shape = "smollm2-360m")
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var folder = values.GetValueOrDefault("--models") ?? Path.Combine(Path.GetTempPath(), "modelrunner-bench-models");
        return new BenchArguments(Int("--threads", 2), Int("--runs", 5), Int("--tokens", 128), folder, values.GetValueOrDefault("--shape") ?? "smollm2-360m");
    }
}
