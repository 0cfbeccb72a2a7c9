using System.Diagnostics;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Bench;

/// <summary>
/// The baseline for batched decoding: N sequences prefilled in one batch, then one batch of N
/// next tokens per step, greedy (the argmax of the logits, as the engine takes it), written directly on the bindings with the engine's context
/// settings (a KV stream per sequence) and thread pool, and nothing else.
/// </summary>
internal static class RawBatchLoop
{
    /// <summary>
    /// Aggregate decode tokens/s over the steps after the first sampled token of every sequence;
    /// and over the whole run, prefill and every sampled token included (what a client of 8
    /// concurrent streams measures by the wall clock).
    /// </summary>
    public static (double TokensPerSecond, int Tokens, double WholeTokensPerSecond) Run(LlamaModel model, int[][] prompts, int maxTokens, int contextSize, int threads)
    {
        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = (uint)(contextSize * prompts.Length);
        parameters.n_batch = 512;
        parameters.n_ubatch = 512;
        parameters.n_seq_max = (uint)prompts.Length;
        parameters.n_threads = threads;
        parameters.n_threads_batch = threads;
        parameters.kv_unified = false;
        parameters.no_perf = true;
        using var context = SafeLlamaContextHandle.Create(model.Handle, parameters) ?? throw new InvalidOperationException("no context");
        // The engine's thread pool (persistent workers that sleep when idle), so both compute alike.
        using var pool = threads > 1 ? SafeGgmlThreadpoolHandle.Create(threads, poll: 0) : null;
        if (pool is not null)
        {
            context.AttachThreadpool(pool);
        }

        using var batch = SafeLlamaBatchHandle.Create(512);
        var logits = new int[prompts.Length];
        for (var s = 0; s < prompts.Length; s++)
        {
            for (var i = 0; i < prompts[s].Length; i++)
            {
                var index = batch.Add(prompts[s][i], i, s, i == prompts[s].Length - 1);
                logits[s] = index;
            }
        }

        var whole = Stopwatch.StartNew();
        Check(context.Decode(batch.Native));
        var tokens = new int[prompts.Length];
        var positions = prompts.Select(prompt => prompt.Length).ToArray();
        var done = new bool[prompts.Length];
        for (var s = 0; s < prompts.Length; s++)
        {
            tokens[s] = GreedyToken.ArgMax(context.GetLogits(logits[s]));
            done[s] = model.IsEndOfGeneration(tokens[s]);
        }

        var clock = Stopwatch.StartNew();
        var generated = 0;
        for (var step = 1; step < maxTokens && done.Contains(false); step++)
        {
            batch.Clear();
            for (var s = 0; s < prompts.Length; s++)
            {
                if (!done[s])
                {
                    logits[s] = batch.Add(tokens[s], positions[s]++, s, true);
                }
            }

            Check(context.Decode(batch.Native));
            for (var s = 0; s < prompts.Length; s++)
            {
                if (!done[s])
                {
                    tokens[s] = GreedyToken.ArgMax(context.GetLogits(logits[s]));
                    generated++;
                    done[s] = model.IsEndOfGeneration(tokens[s]);
                }
            }
        }

        return (generated / clock.Elapsed.TotalSeconds, generated, (generated + prompts.Length) / whole.Elapsed.TotalSeconds);
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"llama_decode returned {status}");
        }
    }
}
