using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ModelRunner.Engine.Native;

/// <summary>
/// A <c>llama_context</c>: the KV cache and compute buffers of one model. Holds a reference on
/// its model so the weights outlive every context. Not thread-safe: one decode loop owns it.
/// </summary>
internal sealed unsafe partial class SafeLlamaContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeLlamaModelHandle? _model;
    private SafeGgmlThreadpoolHandle? _threadpool;
    private nint _memory;

    public SafeLlamaContextHandle() : base(ownsHandle: true) { }

    /// <summary>Creates a context; null with llama.cpp's last logged error when it cannot.</summary>
    public static SafeLlamaContextHandle? Create(SafeLlamaModelHandle model, LlamaContextParams parameters)
    {
        var context = llama_init_from_model(model, parameters);
        if (context.IsInvalid)
        {
            context.Dispose();
            return null;
        }

        var added = false;
        model.DangerousAddRef(ref added);
        context._model = model;
        context._memory = llama_get_memory(context);
        return context;
    }

    public SafeLlamaModelHandle Model => _model ?? throw new ObjectDisposedException(nameof(SafeLlamaContextHandle));

    public int ContextSize => (int)llama_n_ctx(this);

    public int BatchSize => (int)llama_n_batch(this);

    /// <summary>Cells per sequence: the whole context when the KV cache is unified, else an equal share.</summary>
    public int SequenceContextSize => (int)llama_n_ctx_seq(this);

    public int SequenceCount => (int)llama_n_seq_max(this);

    public LlamaPoolingType PoolingType => llama_pooling_type(this);

    /// <summary>0 on success; 1 no KV slot; 2 aborted; negative on invalid input or fatal error.</summary>
    public int Decode(LlamaBatch batch) => llama_decode(this, batch);

    /// <summary>0 on success; negative on error (encoder-only models, e.g. BERT, use this for embeddings).</summary>
    public int Encode(LlamaBatch batch) => llama_encode(this, batch);

    /// <summary>The logits of the <paramref name="index"/>-th token of the last batch that asked for them.</summary>
    public ReadOnlySpan<float> GetLogits(int index)
    {
        var logits = llama_get_logits_ith(this, index);
        return logits == null ? throw new InvalidOperationException($"llama.cpp has no logits for output {index}") : new ReadOnlySpan<float>(logits, Model.VocabularySize);
    }

    /// <summary>The pooled embedding of a sequence, or null when the context does not pool.</summary>
    public float* GetSequenceEmbedding(int sequence) => llama_get_embeddings_seq(this, sequence);

    /// <summary>The embedding of the <paramref name="index"/>-th output of the last batch.</summary>
    public float* GetTokenEmbedding(int index) => llama_get_embeddings_ith(this, index);

    public void SetThreads(int threads, int batchThreads) => llama_set_n_threads(this, threads, batchThreads);

    /// <summary>
    /// Computes on <paramref name="threadpool"/> from now on (decode and prompt alike); the
    /// context holds a reference on it, so the pool outlives the context.
    /// </summary>
    public void AttachThreadpool(SafeGgmlThreadpoolHandle threadpool)
    {
        var added = false;
        threadpool.DangerousAddRef(ref added);
        llama_attach_threadpool(this, threadpool.DangerousGetHandle(), threadpool.DangerousGetHandle());
        var previous = Interlocked.Exchange(ref _threadpool, threadpool);
        previous?.DangerousRelease();
    }

    /// <summary>Removes a sequence's cells in positions [from, to); -1 means open-ended.</summary>
    public bool RemoveSequence(int sequence, int from = -1, int to = -1)
    {
        using var lease = new HandleLease(this);
        return llama_memory_seq_rm(_memory, sequence, from, to);
    }

    public void CopySequence(int source, int destination, int from = -1, int to = -1)
    {
        using var lease = new HandleLease(this);
        llama_memory_seq_cp(_memory, source, destination, from, to);
    }

    /// <summary>The largest position the sequence holds, or -1 when it is empty.</summary>
    public int SequenceMaxPosition(int sequence)
    {
        using var lease = new HandleLease(this);
        return llama_memory_seq_pos_max(_memory, sequence);
    }

    /// <summary>Empties the KV cache; a no-op for models without one (BERT-style encoders).</summary>
    public void ClearMemory()
    {
        using var lease = new HandleLease(this);
        if (_memory != 0)
        {
            llama_memory_clear(_memory, true);
        }
    }

    public long SequenceStateSize(int sequence) => (long)llama_state_seq_get_size(this, sequence);

    /// <summary>Copies a sequence's state into <paramref name="destination"/>; returns the bytes written.</summary>
    public long GetSequenceState(int sequence, byte* destination, long size) =>
        (long)llama_state_seq_get_data(this, destination, (nuint)size, sequence);

    /// <summary>Loads a saved sequence state; 0 when llama.cpp refused it (e.g. another KV layout).</summary>
    public long SetSequenceState(int sequence, byte* source, long size) =>
        (long)llama_state_seq_set_data(this, source, (nuint)size, sequence);

    protected override bool ReleaseHandle()
    {
        llama_free(handle);
        _threadpool?.DangerousRelease();
        _threadpool = null;
        _model?.DangerousRelease();
        _model = null;
        return true;
    }

    [LibraryImport(LlamaApi.Llama)]
    private static partial SafeLlamaContextHandle llama_init_from_model(SafeLlamaModelHandle model, LlamaContextParams parameters);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_free(nint context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_get_memory(SafeLlamaContextHandle context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial uint llama_n_ctx(SafeLlamaContextHandle context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial uint llama_n_batch(SafeLlamaContextHandle context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial uint llama_n_ctx_seq(SafeLlamaContextHandle context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial uint llama_n_seq_max(SafeLlamaContextHandle context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial LlamaPoolingType llama_pooling_type(SafeLlamaContextHandle context);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_decode(SafeLlamaContextHandle context, LlamaBatch batch);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_encode(SafeLlamaContextHandle context, LlamaBatch batch);

    [LibraryImport(LlamaApi.Llama)]
    private static partial float* llama_get_logits_ith(SafeLlamaContextHandle context, int index);

    [LibraryImport(LlamaApi.Llama)]
    private static partial float* llama_get_embeddings_seq(SafeLlamaContextHandle context, int sequence);

    [LibraryImport(LlamaApi.Llama)]
    private static partial float* llama_get_embeddings_ith(SafeLlamaContextHandle context, int index);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_set_n_threads(SafeLlamaContextHandle context, int threads, int batchThreads);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_attach_threadpool(SafeLlamaContextHandle context, nint threadpool, nint batchThreadpool);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_memory_seq_rm(nint memory, int sequence, int from, int to);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_memory_seq_cp(nint memory, int source, int destination, int from, int to);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_memory_seq_pos_max(nint memory, int sequence);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_memory_clear(nint memory, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nuint llama_state_seq_get_size(SafeLlamaContextHandle context, int sequence);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nuint llama_state_seq_get_data(SafeLlamaContextHandle context, byte* destination, nuint size, int sequence);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nuint llama_state_seq_set_data(SafeLlamaContextHandle context, byte* source, nuint size, int sequence);
}
