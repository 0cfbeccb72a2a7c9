using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Inference;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Grains.Models;

/// <summary>
/// One model on this node, keyed by its id (<c>sha256:…</c>). Activating it admits it against
/// the node's memory budget and loads its weights; deactivating (idle past its keep-alive,
/// evicted for another model, or unloaded) saves its conversations' KV state and frees
/// everything. Generation, embeddings and prompt building interleave: many requests run at once
/// and the engine batches them.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Streams a generation.</summary>
    /// <exception cref="ArgumentException">The request is invalid (the message names the field).</exception>
    /// <exception cref="PromptTooLongException">The prompt does not fit the context.</exception>
    /// <exception cref="EngineBusyException">Every sequence is busy and the queue is full.</exception>
    [AlwaysInterleave]
    IAsyncEnumerable<GenerationUpdate> GenerateAsync(ModelRequest request, CancellationToken cancellationToken = default);

    /// <summary>Embeds texts as unit vectors.</summary>
    [AlwaysInterleave]
    Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, TimeSpan? keepAlive = null, CancellationToken cancellationToken = default);

    /// <summary>The prompt's tokens, exactly as <see cref="GenerateAsync"/> would build them (for counting and for conversations).</summary>
    [AlwaysInterleave]
    Task<int[]> BuildPromptAsync(ModelPrompt prompt, CancellationToken cancellationToken = default);

    /// <summary>Converts tokens to text.</summary>
    [AlwaysInterleave]
    Task<string> DetokenizeAsync(IReadOnlyList<int> tokens, CancellationToken cancellationToken = default);

    [AlwaysInterleave]
    Task<ModelStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Loads the model (if it is not) and sets its keep-alive, without generating.</summary>
    [AlwaysInterleave]
    Task PreloadAsync(TimeSpan? keepAlive = null, CancellationToken cancellationToken = default);

    /// <summary>Unloads the model as soon as no request is running.</summary>
    [AlwaysInterleave]
    Task UnloadAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops a conversation's KV cells and saved state.</summary>
    [AlwaysInterleave]
    Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken = default);
}
