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
        for (var start = 0; start < prompt.Length; start += _batch.Capacity)
        {
            _batch.Clear();
            for (var i = start; i < Math.Min(start + _batch.Capacity, prompt.Length); i++)
            {
                _batch.Add(prompt[i], i, 0, i == prompt.Length - 1);
            }

            Check(_context.Decode(_batch.Native));
        }

        var logits = _batch.Count - 1;
        var token = sampler.Sample(_context, logits);
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

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"llama_decode returned {status}");
        }
    }
}
