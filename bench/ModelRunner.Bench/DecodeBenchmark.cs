using System.Diagnostics;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>
/// Single-stream decode speed of <see cref="InferenceEngine.GenerateAsync(string, GenerationOptions, CancellationToken)"/>
/// against <see cref="RawDecodeLoop"/>, plus 512-token prompt processing and model load time.
/// Runs alternate between the two so machine noise hits both alike; medians are reported.
/// </summary>
internal static class DecodeBenchmark
{
    private const int ContextSize = 2048;
    private const int BatchSize = 512;

    public static async Task RunAsync(BenchArguments arguments)
    {
        var path = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        var loads = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var probe = LlamaModel.Load(path);
            loads.Add(clock.Elapsed.TotalSeconds);
        }

        using var model = LlamaModel.Load(path);
        var shortPrompt = model.Tokenize("The history of the city begins", addSpecial: true);
        // A different 512-token prompt per run, so the engine cannot reuse the previous one's KV cells.
        int[] LongPrompt(int run) => model.Tokenize($"Run {run}. " + string.Join(' ', Enumerable.Range(0, 2000).Select(i => $"word{i}")), addSpecial: true)[..512];

        using var raw = new RawDecodeLoop(model, ContextSize, BatchSize, arguments.Threads);
        await using var engine = new InferenceEngine(model, new EngineOptions { ContextSize = ContextSize, BatchSize = BatchSize, Threads = arguments.Threads });
        var options = new GenerationOptions { MaxTokens = arguments.Tokens, Sampling = SamplingOptions.Greedy };

        // Warm-up: first decodes allocate compute buffers and fault in the weights.
        raw.Run(shortPrompt, 16);
        await foreach (var _ in engine.GenerateAsync(shortPrompt, options with { MaxTokens = 16 }).ConfigureAwait(false))
        {
        }

        var rawRates = new List<double>();
        var engineRates = new List<double>();
        var rawPrompt = new List<double>();
        var enginePrompt = new List<double>();
        int rawTokens = 0, engineTokens = 0;
        for (var run = 0; run < arguments.Runs; run++)
        {
            var (_, rate, tokens) = raw.Run(shortPrompt, arguments.Tokens);
            rawRates.Add(rate);
            rawTokens = tokens;

            (rate, tokens) = await MeasureEngineAsync(engine, shortPrompt, options).ConfigureAwait(false);
            engineRates.Add(rate);
            engineTokens = tokens;

            rawPrompt.Add(512 / raw.Run(LongPrompt(run), 1).Prompt.TotalSeconds);
            enginePrompt.Add(await MeasureEnginePromptAsync(engine, LongPrompt(run + 1000)).ConfigureAwait(false));
        }

        var ratio = Statistics.Median(engineRates) / Statistics.Median(rawRates);
        Console.WriteLine($"model           smollm2-360m Q4_K_M ({new FileInfo(path).Length / 1e6:F0} MB), {arguments.Threads} threads, {arguments.Runs} runs, medians");
        Console.WriteLine($"load            {Statistics.Median(loads):F3} s");
        Console.WriteLine($"prompt 512      raw {Statistics.Median(rawPrompt):F1} tok/s   engine {Statistics.Median(enginePrompt):F1} tok/s");
        Console.WriteLine($"decode          raw {Statistics.Median(rawRates):F2} tok/s ({rawTokens} tokens)   engine {Statistics.Median(engineRates):F2} tok/s ({engineTokens} tokens)");
        Console.WriteLine($"decode ratio    engine / raw = {ratio:F3}   (target >= 0.97)");
    }

    /// <summary>Tokens/s seen by a consumer of the stream, from the first piece of text to the last.</summary>
    private static async Task<(double Rate, int Tokens)> MeasureEngineAsync(InferenceEngine engine, int[] prompt, GenerationOptions options)
    {
        Stopwatch? clock = null;
        GenerationResult? result = null;
        await foreach (var update in engine.GenerateAsync(prompt, options).ConfigureAwait(false))
        {
            clock ??= Stopwatch.StartNew();
            result = update.Result ?? result;
        }

        return ((result!.CompletionTokens - 1) / clock!.Elapsed.TotalSeconds, result.CompletionTokens);
    }

    private static async Task<double> MeasureEnginePromptAsync(InferenceEngine engine, int[] prompt)
    {
        GenerationResult? result = null;
        await foreach (var update in engine.GenerateAsync(prompt, new GenerationOptions { MaxTokens = 1, Sampling = SamplingOptions.Greedy }).ConfigureAwait(false))
        {
            result = update.Result ?? result;
        }

        return result!.PromptTokensPerSecond;
    }
}
