using System.Diagnostics;
using ModelRunner.Bench.Peer;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>
/// Single-stream decode of the engine choosing its threads (EngineOptions.Threads unset) against
/// the engine told <c>--threads N</c>, on a quiet machine and with a busy loop taking one core.
/// Runs alternate; medians. With one core of two taken, a fixed two threads spin at every ggml
/// barrier while one of them waits for a core; the chosen count should lose about the share of
/// the machine the neighbour took, not most of the speed.
/// </summary>
internal static class ThreadsBenchmark
{
    private const int ContextSize = 2048;

    public static async Task RunAsync(BenchArguments arguments)
    {
        var shape = TestModelShape.Parse(arguments.Shape);
        var path = BenchModels.Get(arguments.ModelFolder, shape, LlamaFileType.Q4_K_M);
        using var model = LlamaModel.Load(path);
        var prompt = model.Tokenize("The history of the city begins", addSpecial: true);
        var options = new GenerationOptions { MaxTokens = arguments.Tokens, Sampling = SamplingOptions.Greedy };
        await using var chosen = new InferenceEngine(model, new EngineOptions { ContextSize = ContextSize, Sequences = 1 });
        await using var fixedThreads = new InferenceEngine(model, new EngineOptions { ContextSize = ContextSize, Sequences = 1, Threads = arguments.Threads });
        Console.WriteLine($"model           {shape.Name} Q4_K_M, 1 stream x {arguments.Tokens} tokens, {arguments.Runs} runs, medians");

        var quiet = await MeasureAsync(chosen, fixedThreads, prompt, options, arguments).ConfigureAwait(false);
        Print("quiet", quiet, arguments);
        (List<double> Chosen, List<double> Fixed, List<int> Threads) busy;
        await using (new BusyNeighbour())
        {
            busy = await MeasureAsync(chosen, fixedThreads, prompt, options, arguments).ConfigureAwait(false);
        }

        Print("one core busy", busy, arguments);
        Console.WriteLine($"kept            busy / quiet: chosen {Statistics.Median(busy.Chosen) / Statistics.Median(quiet.Chosen):F3}   --threads {arguments.Threads} {Statistics.Median(busy.Fixed) / Statistics.Median(quiet.Fixed):F3}");
    }

    private static void Print(string condition, (List<double> Chosen, List<double> Fixed, List<int> Threads) figures, BenchArguments arguments) =>
        Console.WriteLine($"{condition,-15} chosen threads {Statistics.Median(figures.Chosen):F2} tok/s (threads used: {string.Join(",", figures.Threads)})   --threads {arguments.Threads} {Statistics.Median(figures.Fixed):F2} tok/s");

    private static async Task<(List<double> Chosen, List<double> Fixed, List<int> Threads)> MeasureAsync(
        InferenceEngine chosen, InferenceEngine fixedThreads, int[] prompt, GenerationOptions options, BenchArguments arguments)
    {
        // Warm-up, which also gives the chosen engine a measure of the machine as it is now.
        await RateAsync(chosen, prompt, options with { MaxTokens = 16 }).ConfigureAwait(false);
        await RateAsync(fixedThreads, prompt, options with { MaxTokens = 16 }).ConfigureAwait(false);
        var result = (Chosen: new List<double>(), Fixed: new List<double>(), Threads: new List<int>());
        for (var run = 0; run < arguments.Runs; run++)
        {
            result.Chosen.Add(await RateAsync(chosen, prompt, options).ConfigureAwait(false));
            result.Threads.Add(chosen.ComputeThreads);
            result.Fixed.Add(await RateAsync(fixedThreads, prompt, options).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>Decode tokens/s as the consumer sees it: from the first streamed piece to the last.</summary>
    private static async Task<double> RateAsync(InferenceEngine engine, int[] prompt, GenerationOptions options)
    {
        long first = 0, last = 0;
        GenerationResult? result = null;
        await foreach (var update in engine.GenerateAsync(prompt, options).ConfigureAwait(false))
        {
            last = Stopwatch.GetTimestamp();
            first = first == 0 ? last : first;
            result = update.Result ?? result;
        }

        return (result!.CompletionTokens - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    }
}
