using System.Diagnostics;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Bench;

/// <summary>
/// The baseline: prefill and greedy decoding written directly on the bindings, with none of the
/// engine's machinery (no threads, channels, text decoding or stop strings).
/// </summary>
internal sealed class RawDecodeLoop : IDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;

    public RawDecodeLoop(LlamaModel model, int contextSize, int batchSize, int threads)
    {
        _model = model;
        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = (uint)contextSize;
        parameters.n_batch = (uint)batchSize;
        parameters.n_ubatch = (uint)batchSize;
        parameters.n_seq_max = 1;
        parameters.n_threads = threads;
        parameters.n_threads_batch = threads;
        parameters.no_perf = true;
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters) ?? throw new InvalidOperationException("no context");
        _batch = SafeLlamaBatchHandle.Create(batchSize);
    }

    /// <summary>Returns prompt seconds, then decode tokens/s over the tokens after the first sampled one.</summary>
    public (TimeSpan Prompt, double DecodeTokensPerSecond, int Tokens) Run(int[] prompt, int maxTokens)
    {
        _context.RemoveSequence(0);
        using var sampler = SafeLlamaSamplerHandle.CreateChain();
        sampler.AddGreedy();

        var clock = Stopwatch.StartNew();
        Evaluate(prompt, 0);
        var token = sampler.Sample(_context, _batch.Count - 1);
        var promptTime = clock.Elapsed;
        var decodeClock = Stopwatch.StartNew();
        var position = prompt.Length;
        var generated = 1;
        while (generated < maxTokens && !_model.IsEndOfGeneration(token))
        {
            _batch.Clear();
            _batch.Add(token, position++, 0, true);
            Check(_context.Decode(_batch.Native));
            token = sampler.Sample(_context, 0);
            generated++;
        }

        return (promptTime, (generated - 1) / decodeClock.Elapsed.TotalSeconds, generated);
    }

    /// <summary>
    /// Seconds from evaluating <paramref name="message"/> after <paramref name="history"/> (itself
    /// untimed, already in the KV cache) to its first greedy token: a conversation turn with
    /// nothing to restore.
    /// </summary>
    public double TimeTurn(int[] history, int[] message)
    {
        _context.RemoveSequence(0);
        Evaluate(history, 0);
        using var sampler = SafeLlamaSamplerHandle.CreateChain();
        sampler.AddGreedy();
        var start = Stopwatch.GetTimestamp();
        Evaluate(message, history.Length);
        sampler.Sample(_context, _batch.Count - 1);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
    }

    /// <summary>Evaluates <paramref name="tokens"/> from <paramref name="position"/> in batch-sized chunks, with logits for the last.</summary>
    private void Evaluate(int[] tokens, int position)
    {
        for (var start = 0; start < tokens.Length; start += _batch.Capacity)
        {
            _batch.Clear();
            for (var i = start; i < Math.Min(start + _batch.Capacity, tokens.Length); i++)
            {
                _batch.Add(tokens[i], position + i, 0, i == tokens.Length - 1);
            }

            Check(_context.Decode(_batch.Native));
        }
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"llama_decode returned {status}");
        }
    }
}
