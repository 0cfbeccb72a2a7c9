using System.Diagnostics;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>
/// Time to first token as conversations grow: 16 conversations take turns, round robin, on an
/// engine with 4 sequences, so every turn finds its conversation evicted by three others. Each
/// turn adds a user message of about 110 tokens and an answer of up to 40, so turn 20 carries
/// about 3k tokens of history. With saved sequences (cache keys) a turn restores its
/// conversation's KV state and evaluates only the new message; without, it evaluates the whole
/// history again. Reports the median TTFT of turn 1 and of turn 20, and their ratio.
/// </summary>
internal static class ConversationBenchmark
{
    private const int Conversations = 16;
    private const int Turns = 20;
    private const int AnswerTokens = 40;

    public static async Task RunAsync(BenchArguments arguments)
    {
        var path = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        using var model = LlamaModel.Load(path);
        await using var engine = new InferenceEngine(model, new EngineOptions { ContextSize = 4096, Sequences = 4, Threads = arguments.Threads });
        var answer = new GenerationOptions { MaxTokens = AnswerTokens, Sampling = SamplingOptions.Greedy, TopLogprobs = 0 };
        var system = model.Tokenize("You are a patient assistant who answers questions about history, science and cooking in detail.");
        var histories = Enumerable.Range(0, Conversations).Select(_ => system).ToArray();
        var firstTurn = new List<double>();
        var lastTurn = new List<double>();
        var cachedAtLastTurn = new List<int>();
        var lastTurnParts = new (int[] History, int[] Message)[Conversations];

        // llama.cpp alone, one sequence, nothing restored: the same turn-1 and turn-20 messages
        // evaluated after their histories, right after the engine's turn so both see the machine
        // in the same state. The ratio of these is what the hardware allows.
        using var raw = new RawDecodeLoop(model, engine.ContextSize, new EngineOptions().BatchSize, arguments.Threads);
        var rawFirst = new List<double>();
        var rawLast = new List<double>();

        for (var turn = 1; turn <= Turns; turn++)
        {
            for (var c = 0; c < Conversations; c++)
            {
                var message = UserMessage(model, c, turn);
                int[] prompt = [.. histories[c], .. message];
                var (ttft, result, tokens) = await TimeAsync(engine, new GenerationRequest(prompt, answer) { CacheKey = $"conversation-{c}" }).ConfigureAwait(false);
                if (turn == Turns)
                {
                    lastTurnParts[c] = (histories[c], message);
                }

                if (c < 4 && turn is 1 or Turns)
                {
                    (turn == 1 ? rawFirst : rawLast).Add(raw.TimeTurn(histories[c], message));
                }

                histories[c] = [.. prompt, .. tokens];
                if (turn == 1)
                {
                    firstTurn.Add(ttft);
                }
                else if (turn == Turns)
                {
                    lastTurn.Add(ttft);
                    cachedAtLastTurn.Add(result.CachedPromptTokens);
                }
            }

            Console.Error.WriteLine($"turn {turn}: history ~{histories.Average(history => history.Length):F0} tokens");
        }

        // The floor: one more turn of the last conversation right after its turn 20, while its
        // cells are still in its sequence; what is left is evaluating the new message against
        // the whole history (attention over ~3k tokens), which no cache can save.
        var live = new List<double>();
        for (var extra = 0; extra < 4; extra++)
        {
            var c = Conversations - 1;
            int[] prompt = [.. histories[c], .. UserMessage(model, c, Turns + 1 + extra)];
            var (ttft, _, tokens) = await TimeAsync(engine, new GenerationRequest(prompt, answer) { CacheKey = $"conversation-{c}" }).ConfigureAwait(false);
            histories[c] = [.. prompt, .. tokens];
            live.Add(ttft);
        }

        // Without saved sequences: the same turn-20 prompts (greedy answers are the same either
        // way), sent without a cache key to a engine whose sequences hold other conversations.
        var uncached = new List<double>();
        foreach (var c in Enumerable.Range(0, 4))
        {
            int[] prompt = [.. lastTurnParts[c].History, .. lastTurnParts[c].Message];
            for (var other = 0; other < 4; other++)
            {
                await TimeAsync(engine, new GenerationRequest(UserMessage(model, 100 + other, 1), answer with { MaxTokens = 1 })).ConfigureAwait(false);
            }

            uncached.Add((await TimeAsync(engine, new GenerationRequest(prompt, answer with { MaxTokens = 1 })).ConfigureAwait(false)).Ttft);
        }

        var status = engine.Status;
        Console.WriteLine($"model               smollm2-360m Q4_K_M, {Conversations} conversations over 4 sequences, {Turns} turns, {arguments.Threads} threads");
        Console.WriteLine($"history at turn {Turns}  {lastTurnParts.Average(parts => parts.History.Length + parts.Message.Length):F0} tokens, {cachedAtLastTurn.Average():F0} of them reused (median)");
        Console.WriteLine($"TTFT turn 1         {Statistics.Median(firstTurn) * 1000:F0} ms (median of {firstTurn.Count})");
        Console.WriteLine($"TTFT turn {Turns}        {Statistics.Median(lastTurn) * 1000:F0} ms with saved sequences (median of {lastTurn.Count})");
        Console.WriteLine($"TTFT turn {Turns}        {Statistics.Median(uncached) * 1000:F0} ms without (full re-prefill, median of {uncached.Count})");
        Console.WriteLine($"TTFT turn {Turns}+       {Statistics.Median(live) * 1000:F0} ms with the sequence still live (the floor: ratio {Statistics.Median(live) / Statistics.Median(firstTurn):F2}, median of {live.Count})");
        Console.WriteLine($"raw llama.cpp       turn 1 {Statistics.Median(rawFirst) * 1000:F0} ms, turn {Turns} {Statistics.Median(rawLast) * 1000:F0} ms: ratio {Statistics.Median(rawLast) / Statistics.Median(rawFirst):F2} (one sequence, no engine, history untimed, median of {rawLast.Count}, each right after the engine's turn)");
        Console.WriteLine($"ratio               turn {Turns} / turn 1 = {Statistics.Median(lastTurn) / Statistics.Median(firstTurn):F2} with saved sequences (target <= 1.5), {Statistics.Median(uncached) / Statistics.Median(firstTurn):F2} without");
        Console.WriteLine($"saved sequences     {status.SavedInMemory} in RAM ({status.SavedMemoryBytes / 1e6:F0} MB), {status.SavedOnDisk} on disk ({status.SavedDiskBytes / 1e6:F0} MB)");
    }

    private static int[] UserMessage(LlamaModel model, int conversation, int turn) =>
        model.Tokenize($" User {conversation}, turn {turn}: " + string.Join(' ', Enumerable.Range(0, 38).Select(i => $"w{(i * 7 + turn * 13 + conversation) % 50}")), addSpecial: false);

    private static async Task<(double Ttft, GenerationResult Result, List<int> Tokens)> TimeAsync(InferenceEngine engine, GenerationRequest request)
    {
        var start = Stopwatch.GetTimestamp();
        double? ttft = null;
        GenerationResult? result = null;
        var tokens = new List<int>();
        await foreach (var update in engine.GenerateAsync(request).ConfigureAwait(false))
        {
            ttft ??= Stopwatch.GetElapsedTime(start).TotalSeconds;
            tokens.AddRange(update.Logprobs?.Select(logprob => logprob.Token) ?? []);
            result = update.Result ?? result;
        }

        return (ttft!.Value, result!, tokens);
    }
}
