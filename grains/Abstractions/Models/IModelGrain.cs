namespace ModelRunner.Grains.Models;

/// <summary>
/// One model, keyed by its id (<c>sha256:…</c>). Activating it admits it against the node's
/// memory budget and loads its weights; deactivating (idle past its keep-alive, evicted for
/// another model, or unloaded) saves its conversations' KV state and frees everything. Every
/// method interleaves: many requests run at once and the engine batches them.
/// </summary>
[Alias("modelrunner.model-grain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Streams a generation; the last chunk carries the summary.</summary>
    /// <exception cref="InvalidRequestException">The request is invalid (it names the field).</exception>
    /// <exception cref="ModelOverloadedException">Every sequence is busy and the queue is full.</exception>
    [AlwaysInterleave, Alias("generate")]
    IAsyncEnumerable<GenerationChunk> GenerateAsync(ModelRequest request, CancellationToken cancellationToken = default);

    /// <summary>Embeds texts as unit vectors.</summary>
    [AlwaysInterleave, Alias("embed")]
    Task<EmbeddingVectors> EmbedAsync(IReadOnlyList<string> inputs, TimeSpan? keepAlive = null, CancellationToken cancellationToken = default);

    /// <summary>Scores documents against a query with a reranking model.</summary>
    /// <exception cref="ArgumentException">The model is not a reranker, or the query or a document is empty.</exception>
    [AlwaysInterleave, Alias("rerank")]
    Task<RerankScores> RerankAsync(string query, IReadOnlyList<string> documents, TimeSpan? keepAlive = null, CancellationToken cancellationToken = default);

    /// <summary>The prompt's tokens, exactly as <see cref="GenerateAsync"/> would build them (for counting and for conversations).</summary>
    [AlwaysInterleave, Alias("build-prompt")]
    Task<int[]> BuildPromptAsync(ModelPrompt prompt, CancellationToken cancellationToken = default);

    /// <summary>Converts tokens to text.</summary>
    [AlwaysInterleave, Alias("detokenize")]
    Task<string> DetokenizeAsync(IReadOnlyList<int> tokens, CancellationToken cancellationToken = default);

    /// <summary>What the loaded model is doing. Calling it loads the model: observers read the node's registry instead.</summary>
    [AlwaysInterleave, Alias("status")]
    Task<ModelStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the model (if it is not) and sets its keep-alive, without generating. Loading reads
    /// gigabytes and may wait for other models to unload, so this call may take far longer than
    /// Orleans' default response timeout: callers load through it before anything else.
    /// </summary>
    [AlwaysInterleave, Alias("preload"), ResponseTimeout("01:00:00")]
    Task PreloadAsync(TimeSpan? keepAlive = null, CancellationToken cancellationToken = default);

    /// <summary>Unloads the model as soon as no request is running.</summary>
    [AlwaysInterleave, Alias("unload")]
    Task UnloadAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops a conversation's KV cells and saved state.</summary>
    [AlwaysInterleave, Alias("forget-conversation")]
    Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken = default);
}
