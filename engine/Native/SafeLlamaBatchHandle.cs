using Microsoft.Win32.SafeHandles;

namespace ModelRunner.Engine.Native;

/// <summary>
/// A <c>llama_batch</c> allocated by llama.cpp with room for <see cref="Capacity"/> tokens, each
/// in up to <see cref="MaxSequencesPerToken"/> sequences. Filled, decoded, cleared and filled again
/// by one decode loop; not thread-safe.
/// </summary>
internal sealed unsafe class SafeLlamaBatchHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private LlamaBatch _batch;

    private SafeLlamaBatchHandle(LlamaBatch batch, int capacity, int maxSequencesPerToken) : base(ownsHandle: true)
    {
        _batch = batch;
        Capacity = capacity;
        MaxSequencesPerToken = maxSequencesPerToken;
        SetHandle((nint)batch.token);
    }

    public int Capacity { get; }

    public int MaxSequencesPerToken { get; }

    public int Count => _batch.n_tokens;

    /// <summary>The struct llama_decode takes by value; valid until this handle is released.</summary>
    public LlamaBatch Native => _batch;

    public static SafeLlamaBatchHandle Create(int capacity, int maxSequencesPerToken = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequencesPerToken, 1);
        var batch = LlamaApi.llama_batch_init(capacity, 0, maxSequencesPerToken);
        return batch.token == null
            ? throw new InsufficientMemoryException($"llama.cpp could not allocate a batch of {capacity} tokens")
            : new SafeLlamaBatchHandle(batch, capacity, maxSequencesPerToken);
    }

    public void Clear() => _batch.n_tokens = 0;

    /// <summary>Appends a token of one sequence; returns its index in the batch (the logits index).</summary>
    public int Add(int token, int position, int sequence, bool wantLogits)
    {
        var index = _batch.n_tokens;
        if (index >= Capacity)
        {
            throw new InvalidOperationException($"the batch is full ({Capacity} tokens)");
        }

        _batch.token[index] = token;
        _batch.pos[index] = position;
        _batch.n_seq_id[index] = 1;
        _batch.seq_id[index][0] = sequence;
        _batch.logits[index] = wantLogits ? (sbyte)1 : (sbyte)0;
        _batch.n_tokens = index + 1;
        return index;
    }

    /// <summary>Asks for (or stops asking for) the logits of an already added token.</summary>
    public void SetWantLogits(int index, bool wantLogits)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_batch.n_tokens, nameof(index));
        _batch.logits[index] = wantLogits ? (sbyte)1 : (sbyte)0;
    }

    protected override bool ReleaseHandle()
    {
        LlamaApi.llama_batch_free(_batch);
        return true;
    }
}
