using System.Diagnostics;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Bench;

/// <summary>
/// The conversation benchmark's floor on the bindings alone: one sequence, no engine, no cache.
/// Times what a turn must evaluate when its history is already in the KV cache (the history
/// itself untimed): the new message, against everything before it, up to the first token.
/// </summary>
internal sealed class RawTurn : IDisposable
{
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;

    public RawTurn(LlamaModel model, int contextSize, int threads)
    {
        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = (uint)contextSize;
        parameters.n_batch = (uint)new EngineOptions().BatchSize;
        parameters.n_ubatch = parameters.n_batch;
        parameters.n_seq_max = 1;
        parameters.n_threads = threads;
        parameters.n_threads_batch = threads;
        parameters.no_perf = true;
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters) ?? throw new InvalidOperationException("no context");
        _batch = SafeLlamaBatchHandle.Create(_context.BatchSize);
    }

    /// <summary>Seconds from evaluating <paramref name="message"/> after <paramref name="history"/> to its first greedy token.</summary>
    public double Time(int[] history, int[] message)
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

    private void Evaluate(int[] tokens, int position)
    {
        for (var start = 0; start < tokens.Length; start += _batch.Capacity)
        {
            _batch.Clear();
            for (var i = start; i < Math.Min(start + _batch.Capacity, tokens.Length); i++)
            {
                _batch.Add(tokens[i], position + i, 0, i == tokens.Length - 1);
            }

            if (_context.Decode(_batch.Native) != 0)
            {
                throw new InvalidOperationException("llama_decode failed");
            }
        }
    }
}
