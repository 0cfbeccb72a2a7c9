using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Conversations;

/// <summary>
/// A conversation kept on the server (key: its id). Turns run one at a time. Each turn builds
/// its prompt from the exact tokens of the previous one and asks its model grain to keep the
/// conversation's KV cells, so only the new messages are evaluated; the items and tokens are
/// persisted, so a conversation outlives model unloads and restarts.
/// Orleans enumerates a streaming method through interleaving calls, so the grain itself
/// serialises turns.
/// </summary>
[Alias("modelrunner.conversation-grain")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Creates the conversation (it must not exist).</summary>
    [Alias("create")]
    Task<ConversationInfo> CreateAsync(string? modelId, string? modelName, IReadOnlyList<ConversationItem> items, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default);

    /// <summary>The conversation, or null when it does not exist.</summary>
    [Alias("get")]
    Task<ConversationInfo?> GetAsync(CancellationToken cancellationToken = default);

    /// <exception cref="ConversationNotFoundException">It does not exist.</exception>
    [Alias("update-metadata")]
    Task<ConversationInfo> UpdateMetadataAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes the conversation, its items and its saved KV state; false when it did not exist.</summary>
    [Alias("delete")]
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);

    /// <exception cref="ConversationNotFoundException">It does not exist.</exception>
    [Alias("get-items")]
    Task<IReadOnlyList<ConversationItem>> GetItemsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds items without generating (the next turn includes them).</summary>
    /// <exception cref="ConversationNotFoundException">It does not exist.</exception>
    [Alias("add-items")]
    Task<IReadOnlyList<ConversationItem>> AddItemsAsync(IReadOnlyList<ConversationItem> items, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the turn's messages and streams the model's answer; once the answer is complete,
    /// both are recorded. A turn abandoned halfway records nothing.
    /// </summary>
    /// <param name="turn">The new messages and generation settings.</param>
    /// <param name="modelId">The model to use, as a model grain key (a replica of it, see <see cref="ModelReplicas"/>); null, or another replica of the same model, keeps the conversation's.</param>
    /// <param name="modelName">The model's name as the caller gave it, for display.</param>
    /// <param name="cancellationToken">Stops the generation.</param>
    /// <exception cref="ConversationNotFoundException">It does not exist.</exception>
    /// <exception cref="InvalidRequestException">No model is set.</exception>
    [Alias("send")]
    IAsyncEnumerable<GenerationChunk> SendAsync(ConversationTurn turn, string? modelId = null, string? modelName = null, CancellationToken cancellationToken = default);
}
