using System.Diagnostics;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>
/// Aggregate decode speed of 8 concurrent requests through <see cref="InferenceEngine"/>
/// (continuous batching, 8 sequences) against <see cref="RawBatchLoop"/> decoding the same 8
/// prompts 8 per batch on the bindings. Runs alternate; medians are reported.
/// </summary>
internal static class BatchDecodeBenchmark
{
    private const int Streams = 8;
    private const int ContextSize = 1024;

    public static async Task RunAsync(BenchArguments arguments)
    {
        // --shape tiny gives ~1 ms steps, where the engine's own per-step costs show.
        var shape = TestModelShape.Parse(arguments.Shape);
        var path = BenchModels.Get(arguments.ModelFolder, shape, LlamaFileType.Q4_K_M);
        using var model = LlamaModel.Load(path);
        var prompts = Enumerable.Range(0, Streams).Select(i => model.Tokenize($"Story number {i}: once upon a time, in a land far away,")).ToArray();
        await using var engine = new InferenceEngine(model, new EngineOptions { ContextSize = ContextSize, Sequences = Streams, Threads = arguments.Threads });
        var options = new GenerationOptions { MaxTokens = arguments.Tokens, Sampling = SamplingOptions.Greedy };

        await MeasureEngineAsync(engine, prompts, options with { MaxTokens = 8 }).ConfigureAwait(false);
        RawBatchLoop.Run(model, prompts, 8, ContextSize, arguments.Threads);

        var raw = new List<double>();
        var engineRates = new List<double>();
        int rawTokens = 0, engineTokens = 0;
        for (var run = 0; run < arguments.Runs; run++)
        {
            var (rate, tokens, _) = RawBatchLoop.Run(model, prompts, arguments.Tokens, ContextSize, arguments.Threads);
            raw.Add(rate);
            rawTokens = tokens;
            (rate, tokens) = await MeasureEngineAsync(engine, prompts, options).ConfigureAwait(false);
            engineRates.Add(rate);
            engineTokens = tokens;
        }

        Console.WriteLine($"model           {shape.Name} Q4_K_M, {Streams} streams x {arguments.Tokens} tokens, {arguments.Threads} threads, {arguments.Runs} runs, medians");
        Console.WriteLine($"aggregate       raw {Statistics.Median(raw):F2} tok/s ({rawTokens} tokens)   engine {Statistics.Median(engineRates):F2} tok/s ({engineTokens} tokens)");
        Console.WriteLine($"batch ratio     engine / raw = {Statistics.Median(engineRates) / Statistics.Median(raw):F3}   (target >= 0.95)");
    }

    /// <summary>
    /// Tokens/s over the decode phase: from the moment every stream has its first token to the
    /// last token of the last stream, counting the tokens after each stream's first.
    /// </summary>
    private static async Task<(double Rate, int Tokens)> MeasureEngineAsync(InferenceEngine engine, int[][] prompts, GenerationOptions options)
    {
        var started = 0;
        var allStarted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var results = await Task.WhenAll(prompts.Select(prompt => Task.Run(async () =>
        {
            var first = true;
            GenerationResult? result = null;
            await foreach (var update in engine.GenerateAsync(prompt, options).ConfigureAwait(false))
            {
                if (first && Interlocked.Increment(ref started) == prompts.Length)
                {
                    allStarted.TrySetResult(Stopwatch.GetTimestamp());
                }

                first = false;
                result = update.Result ?? result;
            }

            return (Result: result!, End: Stopwatch.GetTimestamp());
        }))).ConfigureAwait(false);

        var begin = await allStarted.Task.ConfigureAwait(false);
        var end = results.Max(result => result.End);
        var tokens = results.Sum(result => result.Result.CompletionTokens - 1);
        return (tokens / Stopwatch.GetElapsedTime(begin, end).TotalSeconds, tokens);
    }
}
