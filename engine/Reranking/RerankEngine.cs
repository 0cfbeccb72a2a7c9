using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Reranking;

/// <summary>
/// Scores documents against a query with a cross-encoder (a reranker: a BERT-style encoder whose
/// GGUF declares rank pooling and carries a classification head, <c>cls</c> and <c>cls.output</c>).
/// Each query–document pair is one sequence, joined as llama-server joins them; llama.cpp runs the
/// head on the first token's state and <c>llama_get_embeddings_seq</c> gives the score. Thread-safe;
/// calls are served one at a time, off the caller's thread.
/// </summary>
public sealed class RerankEngine : IAsyncDisposable
{
    private const int RankPooling = (int)LlamaPoolingType.Rank;

    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly int _sequences;

    /// <exception cref="InvalidOptionException">The model is not a reranker.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InferenceException">llama.cpp cannot create the context.</exception>
    public RerankEngine(LlamaModel model, int contextSize = 2048, int sequences = 16, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsReranker(model))
        {
            throw new InvalidOptionException(nameof(model), $"model {model.Description} is not a reranking model (its GGUF does not declare rank pooling)");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(contextSize, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        _model = model;
        _sequences = sequences;
        var size = (uint)Math.Min(contextSize, Math.Max(8, model.TrainingContextLength));

        var parameters = LlamaApi.llama_context_default_params();
        parameters.embeddings = true;
        parameters.pooling_type = LlamaPoolingType.Rank;
        parameters.n_ctx = size;
        parameters.n_batch = size;
        parameters.n_ubatch = size;
        parameters.n_seq_max = (uint)sequences;
        parameters.kv_unified = true;
        parameters.n_threads = threads ?? Environment.ProcessorCount;
        parameters.n_threads_batch = parameters.n_threads;
        parameters.no_perf = true;

        LlamaLibrary.TakeLastError();
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new InferenceException($"llama.cpp could not create a reranking context: {LlamaLibrary.TakeLastError() ?? "it gave no reason"}");
        MaxPairTokens = _context.BatchSize;
        _batch = SafeLlamaBatchHandle.Create(MaxPairTokens);
    }

    /// <summary>The longest query–document pair, in tokens.</summary>
    public int MaxPairTokens { get; }

    /// <summary>Whether the model's GGUF asks for rank pooling (<c>{arch}.pooling_type</c> = 4), as rerankers do.</summary>
    public static bool IsReranker(LlamaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Gguf.GetInt64OrNull($"{model.Gguf.Architecture}.pooling_type") == RankPooling;
    }

    /// <summary>Scores each document against the query.</summary>
    /// <exception cref="ArgumentException">The query or a document is empty, or there are no documents.</exception>
    /// <exception cref="PromptTooLongException">A pair is longer than <see cref="MaxPairTokens"/>.</exception>
    public async Task<RerankResult> ScoreAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (query.Length == 0)
        {
            throw new InvalidOptionException(nameof(query), "the query is empty");
        }

        if (documents.Count == 0 || documents.Any(document => document.Length == 0))
        {
            throw new InvalidOptionException(nameof(documents), "the documents must be at least one non-empty text");
        }

        var queryTokens = _model.Tokenize(query, addSpecial: false);
        var pairs = documents.Select(document => Pair(queryTokens, _model.Tokenize(document, addSpecial: false))).ToList();
        if (pairs.FirstOrDefault(pair => pair.Length > MaxPairTokens) is { } tooLong)
        {
            throw new PromptTooLongException(tooLong.Length, MaxPairTokens);
        }

        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var scores = await Task.Run(() => Score(pairs, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new RerankResult(scores, pairs.Sum(pair => pair.Length));
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

    /// <summary>
    /// The pair as llama-server builds it, so scores match a model's reference: [BOS] query [EOS] [SEP]
    /// document [EOS], each special token only where the vocabulary asks for it (BERT's BOS is [CLS],
    /// its EOS [SEP]).
    /// </summary>
    private int[] Pair(int[] query, int[] document)
    {
        var handle = _model.Handle;
        var end = handle.EndOfSequence >= 0 ? handle.EndOfSequence : handle.Separator;
        var tokens = new List<int>(query.Length + document.Length + 4);
        if (handle.AddsBeginning)
        {
            tokens.Add(handle.BeginningOfSequence);
        }

        tokens.AddRange(query);
        if (handle.AddsEnd)
        {
            tokens.Add(end);
        }

        if (handle.AddsSeparator)
        {
            tokens.Add(handle.Separator);
        }

        tokens.AddRange(document);
        if (handle.AddsEnd)
        {
            tokens.Add(end);
        }

        return [.. tokens];
    }

    private float[] Score(List<int[]> pairs, CancellationToken cancellationToken) =>
        PooledDecode.Run(_context, _batch, _sequences, pairs, ReadScore, count => $"score a batch of {count} documents", cancellationToken);

    private unsafe float ReadScore(int sequence)
    {
        // Rank pooling gives n_cls_out floats per sequence; a reranker has one: the relevance.
        var score = _context.GetSequenceEmbedding(sequence);
        return score == null ? throw new InferenceException("llama.cpp returned no score") : score[0];
    }
}
