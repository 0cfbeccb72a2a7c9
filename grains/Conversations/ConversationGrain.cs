using System.Runtime.CompilerServices;
using System.Text;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Conversations;

/// <inheritdoc cref="IConversationGrain"/>
/// <remarks>
/// Orleans interleaves the calls that enumerate a streaming method, so a turn in progress does
/// not keep other calls out: every call that reads or changes the state waits on one gate, and
/// a turn holds it from its first token to its record.
/// </remarks>
[CollectionAgeLimit(Minutes = 15)]
[Orleans.Placement.PreferLocalPlacement]
public sealed class ConversationGrain(
    [PersistentState("conversation")] IPersistentState<ConversationState> state,
    TimeProvider time) : Grain, IConversationGrain, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string Key => this.GetPrimaryKeyString();

    public Task<ConversationInfo> CreateAsync(string? modelId, string? modelName, IReadOnlyList<ConversationItem> items, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default) =>
        InTurnAsync(async () =>
        {
            if (state.State.Exists)
            {
                throw new InvalidOperationException($"conversation {Key} already exists");
            }

            state.State = new ConversationState
            {
                Exists = true,
                ModelId = modelId,
                ModelName = modelName,
                Items = items,
                Metadata = metadata,
                CreatedAt = time.GetUtcNow(),
            };
            await state.WriteStateAsync(CancellationToken.None);
            return Info();
        }, cancellationToken);

    public Task<ConversationInfo?> GetAsync(CancellationToken cancellationToken = default) =>
        InTurnAsync(() => Task.FromResult(state.State.Exists ? Info() : null), cancellationToken);

    public Task<ConversationInfo> UpdateMetadataAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default) =>
        InTurnAsync(async () =>
        {
            EnsureExists();
            state.State = state.State with { Metadata = metadata };
            await state.WriteStateAsync(CancellationToken.None);
            return Info();
        }, cancellationToken);

    public Task<bool> DeleteAsync(CancellationToken cancellationToken = default) =>
        InTurnAsync(async () =>
        {
            if (!state.State.Exists)
            {
                return false;
            }

            if (state.State.ModelId is { } modelId)
            {
                // Forgetting never loads the model: it drops the live cells if any, and the saved file.
                await GrainFactory.GetGrain<IModelGrain>(modelId).ForgetConversationAsync(Key, cancellationToken);
            }

            await state.ClearStateAsync(CancellationToken.None);
            state.State = new ConversationState();
            this.DeactivateOnIdle();
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ConversationItem>> GetItemsAsync(CancellationToken cancellationToken = default) =>
        InTurnAsync(() =>
        {
            EnsureExists();
            return Task.FromResult(state.State.Items);
        }, cancellationToken);

    public Task<IReadOnlyList<ConversationItem>> AddItemsAsync(IReadOnlyList<ConversationItem> items, CancellationToken cancellationToken = default) =>
        InTurnAsync(async () =>
        {
            EnsureExists();
            state.State = state.State with { Items = [.. state.State.Items, .. items] };
            await state.WriteStateAsync(CancellationToken.None);
            return items;
        }, cancellationToken);

    public async IAsyncEnumerable<GenerationChunk> SendAsync(ConversationTurn turn, string? modelId = null, string? modelName = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureExists();
            var current = state.State;
            // modelId may name a replica (ModelReplicas): a conversation stays with the replica that
            // holds its KV, and takes the caller's choice only when it starts or changes model.
            var switched = modelId is not null && ModelReplicas.ModelIdOf(modelId) != (current.ModelId is { } stored ? ModelReplicas.ModelIdOf(stored) : null);
            modelId = switched ? modelId! : current.ModelId ?? modelId ?? throw new InvalidRequestException("the conversation has no model: name one", "model");
            var model = GrainFactory.GetGrain<IModelGrain>(modelId);

            var messages = current.Items.Select(item => new PromptMessage(item.Role, item.Content)).ToList();
            // Another model tokenizes differently: its prompt starts afresh.
            var prompt = !switched && current.TokensCover > 0 && current.Tokens.Count > 0
                ? ModelPrompt.Continue(messages[..current.TokensCover], current.Tokens, [.. messages.Skip(current.TokensCover), .. turn.Messages], turn.Tools)
                : ModelPrompt.Chat([.. messages, .. turn.Messages], turn.Tools);
            var tokens = await model.BuildPromptAsync(prompt with { Think = turn.Request.Prompt.Think }, cancellationToken);

            var request = turn.Request with { Prompt = ModelPrompt.FromTokens(tokens) with { Think = turn.Request.Prompt.Think }, CacheKey = turn.Store ? Key : null };
            var answer = new StringBuilder();
            var generated = new List<int>();
            await foreach (var chunk in model.GenerateAsync(request, cancellationToken))
            {
                answer.Append(chunk.Text);
                generated.AddRange(chunk.Tokens);
                yield return chunk;
            }

            if (!turn.Store)
            {
                yield break;
            }

            var now = time.GetUtcNow();
            List<ConversationItem> items = [.. current.Items, .. turn.Messages.Select(message => NewItem(message.Role, message.Content, now)), NewItem("assistant", answer.ToString(), now)];
            state.State = current with
            {
                ModelId = modelId,
                ModelName = modelName ?? current.ModelName,
                Items = items,
                Tokens = [.. tokens, .. generated],
                TokensCover = items.Count,
            };
            await state.WriteStateAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new item with an OpenAI-style id.</summary>
    public static ConversationItem NewItem(string role, string content, DateTimeOffset createdAt) =>
        new("msg_" + Guid.NewGuid().ToString("N"), role, content, createdAt);

    private async Task<T> InTurnAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private ConversationInfo Info() =>
        new(Key, state.State.ModelName, state.State.CreatedAt, state.State.Metadata, state.State.Items.Count);

    private void EnsureExists()
    {
        if (!state.State.Exists)
        {
            throw new ConversationNotFoundException(Key);
        }
    }
}
