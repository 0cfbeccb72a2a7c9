using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// The draft model's side of speculative decoding: a context with one sequence whose KV cells hold
/// the tokens of the sequence last drafted for. Drafting for a sequence first brings those cells in
/// line with the sequence's own (keep the common prefix, evaluate the rest), so consecutive steps of
/// one request evaluate only what the last step accepted, and a switch to another request costs one
/// prefill of its tokens on the draft. Runs on the decode loop thread; not thread-safe.
/// </summary>
internal sealed class DraftContext : IDisposable
{
    private const int Sequence = 0;
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;
    private readonly List<int> _cached = [];

    /// <exception cref="InferenceException">llama.cpp cannot create the draft's context.</exception>
    public DraftContext(LlamaModel model, EngineOptions options, int contextSize)
    {
        _model = model;
        var parameters = ContextParameters.For(options with { Sequences = 1, ContextSize = contextSize });
        LlamaLibrary.TakeLastError();
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new InferenceException($"llama.cpp could not create the draft model's context of {contextSize} tokens: {LlamaLibrary.TakeLastError() ?? "it gave no reason"}");
        _batch = SafeLlamaBatchHandle.Create(_context.BatchSize);
    }

    /// <summary>Tokens of context the draft holds.</summary>
    public int ContextSize => _context.SequenceContextSize;

    /// <summary>
    /// Proposes up to <paramref name="count"/> tokens to follow <paramref name="cached"/> and then
    /// <paramref name="pending"/>: the draft's most likely token at each position (greedy, because a
    /// proposal is only worth what the target agrees with). Stops early after an end-of-generation token.
    /// </summary>
    /// <returns>The proposals, or an empty list when the draft failed to decode (its cells are then cleared).</returns>
    public List<int> Propose(IReadOnlyList<int> cached, int pending, int count)
    {
        var proposals = new List<int>(count);
        var common = CommonPrefix(cached);
        if (common < _cached.Count && !_context.RemoveSequence(Sequence, common))
        {
            Clear();
            common = 0;
        }

        _cached.RemoveRange(common, _cached.Count - common);
        var feed = new List<int>(cached.Count - common + 1);
        for (var i = common; i < cached.Count; i++)
        {
            feed.Add(cached[i]);
        }

        feed.Add(pending);
        if (!Evaluate(feed))
        {
            return proposals;
        }

        while (true)
        {
            var token = MostLikely(_context.GetLogits(_batch.Count - 1));
            proposals.Add(token);
            if (proposals.Count == count || _model.IsEndOfGeneration(token) || !Evaluate([token]))
            {
                return proposals;
            }
        }
    }

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
    }

    /// <summary>Decodes <paramref name="tokens"/> after the cached ones, in batch-sized chunks, with logits for the last.</summary>
    private bool Evaluate(List<int> tokens)
    {
        for (var start = 0; start < tokens.Count; start += _batch.Capacity)
        {
            _batch.Clear();
            var end = Math.Min(tokens.Count, start + _batch.Capacity);
            for (var i = start; i < end; i++)
            {
                _batch.Add(tokens[i], _cached.Count + i - start, Sequence, wantLogits: i == tokens.Count - 1);
            }

            if (_context.Decode(_batch.Native) != 0)
            {
                Clear();
                return false;
            }

            for (var i = start; i < end; i++)
            {
                _cached.Add(tokens[i]);
            }
        }

        return true;
    }

    private void Clear()
    {
        _context.RemoveSequence(Sequence);
        _cached.Clear();
    }

    private int CommonPrefix(IReadOnlyList<int> tokens)
    {
        var length = Math.Min(_cached.Count, tokens.Count);
        var common = 0;
        while (common < length && _cached[common] == tokens[common])
        {
            common++;
        }

        return common;
    }

    private static int MostLikely(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
