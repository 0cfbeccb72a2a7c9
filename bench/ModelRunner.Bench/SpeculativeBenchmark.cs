using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>
/// Single-stream greedy decode with speculative decoding against the same engine without a draft:
/// the target as its own draft (every proposal accepted: the ceiling of acceptance, at a draft as
/// costly as the target), a smaller generated draft with the same vocabulary (random weights: it
/// almost never agrees, the floor), and that draft with a minimum acceptance rate (how much of the
/// floor's cost the cut-off takes back). Runs alternate between configurations; medians reported.
/// </summary>
internal static class SpeculativeBenchmark
{
    private const int ContextSize = 2048;
    private const int DraftTokens = 8;

    public static async Task RunAsync(BenchArguments arguments)
    {
        var targetPath = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        var draftPath = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_135M, LlamaFileType.Q4_K_M);
        using var target = LlamaModel.Load(targetPath);
        using var small = LlamaModel.Load(draftPath);
        var options = new EngineOptions { ContextSize = ContextSize, Threads = arguments.Threads, Sequences = 1 };
        (string Name, SpeculativeOptions? Speculative)[] configurations =
        [
            ("no draft", null),
            ($"self draft, {DraftTokens} tokens", new SpeculativeOptions(target) { DraftTokens = DraftTokens }),
            ($"135m draft, {DraftTokens} tokens", new SpeculativeOptions(small) { DraftTokens = DraftTokens }),
            ($"135m draft, min rate 0.5", new SpeculativeOptions(small) { DraftTokens = DraftTokens, MinAcceptanceRate = 0.5 }),
        ];

        var engines = configurations.Select(configuration => new InferenceEngine(target, options, configuration.Speculative)).ToArray();
        try
        {
            var prompt = target.Tokenize("The history of the city begins", addSpecial: true);
            var generation = new GenerationOptions { MaxTokens = arguments.Tokens, Sampling = SamplingOptions.Greedy };
            foreach (var engine in engines)
            {
                // Warm-up: first decodes allocate compute buffers and fault in the weights.
                await GenerateAsync(engine, prompt, generation with { MaxTokens = 16 }).ConfigureAwait(false);
            }

            var rates = configurations.Select(_ => new List<double>()).ToArray();
            var results = new GenerationResult[configurations.Length];
            for (var run = 0; run < arguments.Runs; run++)
            {
                for (var i = 0; i < engines.Length; i++)
                {
                    results[i] = await GenerateAsync(engines[i], prompt, generation).ConfigureAwait(false);
                    rates[i].Add(results[i].TokensPerSecond);
                }
            }

            var baseline = Statistics.Median(rates[0]);
            Console.WriteLine($"target          smollm2-360m Q4_K_M; draft smollm2-135m Q4_K_M ({new FileInfo(draftPath).Length / 1e6:F0} MB); {arguments.Threads} threads, {arguments.Runs} runs, {arguments.Tokens} tokens, medians");
            for (var i = 0; i < configurations.Length; i++)
            {
                var median = Statistics.Median(rates[i]);
                var accepted = results[i].DraftTokens > 0 ? $"   accepted {results[i].DraftAcceptedTokens}/{results[i].DraftTokens} ({results[i].DraftAcceptanceRate:P0})" : "";
                Console.WriteLine($"{configurations[i].Name,-28} {median,7:F2} tok/s   × {median / baseline:F2} of no draft{accepted}");
            }
        }
        finally
        {
            foreach (var engine in engines)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<GenerationResult> GenerateAsync(InferenceEngine engine, int[] prompt, GenerationOptions options)
    {
        GenerationResult? result = null;
        await foreach (var update in engine.GenerateAsync(prompt, options).ConfigureAwait(false))
        {
            result = update.Result ?? result;
        }

        return result!;
    }
}
