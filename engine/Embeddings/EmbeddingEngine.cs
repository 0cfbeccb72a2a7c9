using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Embeddings;

/// <summary>
/// Computes sentence embeddings with one model: inputs are packed, one sequence each, into
/// batches; llama.cpp pools each sequence's token states (the model's own pooling, e.g. CLS or
/// last token, else the mean) and the vectors are scaled to unit length. Works for decoders
/// (llama) and encoders (BERT). Thread-safe; calls are served one at a time, off the caller's thread.
/// </summary>
public sealed class EmbeddingEngine : IAsyncDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly int _sequences;

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InferenceException">llama.cpp cannot create the context.</exception>
    public EmbeddingEngine(LlamaModel model, EmbeddingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new EmbeddingOptions();
        options.Validate();
        _model = model;
        _sequences = options.Sequences;
        var size = (uint)Math.Min(options.ContextSize, Math.Max(8, model.TrainingContextLength));

        var parameters = LlamaApi.llama_context_default_params();
        parameters.embeddings = true;
        parameters.pooling_type = PoolingFor(model);
        parameters.n_ctx = size;
        parameters.n_batch = size;
        parameters.n_ubatch = size;
        parameters.n_seq_max = (uint)options.Sequences;
        parameters.kv_unified = true;
        parameters.n_threads = options.Threads ?? Environment.ProcessorCount;
        parameters.n_threads_batch = parameters.n_threads;
        parameters.no_perf = true;

        LlamaLibrary.TakeLastError();
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new InferenceException($"llama.cpp could not create an embedding context: {LlamaLibrary.TakeLastError() ?? "it gave no reason"}");
        MaxInputTokens = _context.BatchSize;
        _batch = SafeLlamaBatchHandle.Create(MaxInputTokens);
    }

    /// <summary>The longest input, in tokens.</summary>
    public int MaxInputTokens { get; }

    /// <summary>Length of each vector.</summary>
    public int Dimensions => _model.EmbeddingLength;

    /// <summary>Embeds texts (tokenized with the model's special tokens, e.g. BERT's [CLS] and [SEP]).</summary>
    /// <exception cref="InvalidOptionException">An input is empty.</exception>
    /// <exception cref="PromptTooLongException">An input is longer than <see cref="MaxInputTokens"/>.</exception>
    public Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return EmbedAsync([.. inputs.Select(input => (IReadOnlyList<int>)_model.Tokenize(input, addSpecial: true))], cancellationToken);
    }

    /// <summary>Embeds tokenized inputs.</summary>
    /// <exception cref="InvalidOptionException">An input is empty.</exception>
    /// <exception cref="PromptTooLongException">An input is longer than <see cref="MaxInputTokens"/>.</exception>
    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<IReadOnlyList<int>> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs)
        {
            if (input.Count == 0)
            {
                throw new InvalidOptionException("input", "an input is empty");
            }

            if (input.Count > MaxInputTokens)
            {
                throw new PromptTooLongException(input.Count, MaxInputTokens);
            }
        }

        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var vectors = await Task.Run(() => Embed(inputs, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new EmbeddingResult(vectors, inputs.Sum(input => input.Count));
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        _batch.Dispose();
        _context.Dispose();
        _turn.Dispose();
    }

    private float[][] Embed(IReadOnlyList<IReadOnlyList<int>> inputs, CancellationToken cancellationToken) =>
        PooledDecode.Run(_context, _batch, _sequences, inputs, ReadNormalised, count => $"embed a batch of {count} inputs", cancellationToken);

    private unsafe float[] ReadNormalised(int sequence)
    {
        var pooled = _context.GetSequenceEmbedding(sequence);
        if (pooled == null)
        {
            throw new InferenceException("llama.cpp returned no pooled embedding");
        }

        var vector = new ReadOnlySpan<float>(pooled, Dimensions).ToArray();
        var norm = Math.Sqrt(vector.Sum(value => (double)value * value));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] / norm);
            }
        }

        return vector;
    }

    /// <summary>The model's pooling (<c>{arch}.pooling_type</c>: CLS, last token, mean), else the mean.</summary>
    private static LlamaPoolingType PoolingFor(LlamaModel model) =>
        model.Gguf.GetInt64OrNull($"{model.Gguf.Architecture}.pooling_type") is { } pooling and > 0 and <= 3
            ? (LlamaPoolingType)pooling
            : LlamaPoolingType.Mean;
}
