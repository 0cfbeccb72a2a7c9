using System.Runtime.CompilerServices;
using System.Text;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Storage;

namespace ModelRunner.Grains.Conversations;

/// <inheritdoc cref="IConversationGrain"/>
public sealed class ConversationGrain : Grain, IConversationGrain
{
    private readonly PersistentState<ConversationState> _state;
    private readonly IActivationManager _activations;
    private readonly SequenceFolders _sequenceFolders;
    private readonly TimeProvider _time;

    public ConversationGrain(IGrainStorage storage, IActivationManager activations, SequenceFolders sequenceFolders, TimeProvider time)
    {
        _state = new PersistentState<ConversationState>(storage, "conversation", Key, GrainsJsonContext.Default.ConversationState, () => new ConversationState());
        _activations = activations;
        _sequenceFolders = sequenceFolders;
        _time = time;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.ReadStateAsync(cancellationToken);

    public async Task<ConversationInfo> CreateAsync(string? modelId, string? modelName, IReadOnlyList<ConversationItem> items, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default)
    {
        if (_state.State.Exists)
        {
            throw new InvalidOperationException($"conversation {Key} already exists");
        }

        _state.State = new ConversationState
        {
            Exists = true,
            ModelId = modelId,
            ModelName = modelName,
            Items = items,
            Metadata = metadata,
            CreatedAt = _time.GetUtcNow(),
        };
        await _state.WriteStateAsync(cancellationToken).ConfigureAwait(false);
        return Info();
    }

    public Task<ConversationInfo?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.State.Exists ? Info() : null);

    public async Task<ConversationInfo> UpdateMetadataAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default)
    {
        EnsureExists();
        _state.State = _state.State with { Metadata = metadata };
        await _state.WriteStateAsync(cancellationToken).ConfigureAwait(false);
        return Info();
    }

    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (!_state.State.Exists)
        {
            return false;
        }

        if (_state.State.ModelId is { } modelId)
        {
            // Asking an unloaded model grain would load the model just to forget: delete the file instead.
            if (_activations.GetActivations<IModelGrain>().Any(activation => activation.Key == modelId))
            {
                await GrainFactory.GetGrain<IModelGrain>(modelId).ForgetConversationAsync(Key, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _sequenceFolders.Delete(modelId, Key);
            }
        }

        await _state.ClearStateAsync(cancellationToken).ConfigureAwait(false);
        _state.State = new ConversationState();
        DeactivateOnIdle();
        return true;
    }

    public Task<IReadOnlyList<ConversationItem>> GetItemsAsync(CancellationToken cancellationToken = default)
    {
        EnsureExists();
        return Task.FromResult(_state.State.Items);
    }

    public async Task<IReadOnlyList<ConversationItem>> AddItemsAsync(IReadOnlyList<ConversationItem> items, CancellationToken cancellationToken = default)
    {
        EnsureExists();
        _state.State = _state.State with { Items = [.. _state.State.Items, .. items] };
        await _state.WriteStateAsync(cancellationToken).ConfigureAwait(false);
        return items;
    }

    public async IAsyncEnumerable<GenerationUpdate> SendAsync(ConversationTurn turn, string? modelId = null, string? modelName = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        EnsureExists();
        var state = _state.State;
        var switched = modelId is not null && modelId != state.ModelId;
        modelId ??= state.ModelId ?? throw new ArgumentException("the conversation has no model: name one", nameof(modelId));
        var model = GrainFactory.GetGrain<IModelGrain>(modelId);

        var messages = state.Items.Select(item => new ChatMessage(item.Role, item.Content)).ToList();
        // Another model tokenizes differently: its prompt starts afresh.
        var prompt = !switched && state.TokensCover > 0 && state.Tokens.Count > 0
            ? ModelPrompt.Continue(messages[..state.TokensCover], state.Tokens, [.. messages.Skip(state.TokensCover), .. turn.Messages], turn.Tools)
            : ModelPrompt.Chat([.. messages, .. turn.Messages], turn.Tools);
        var tokens = await model.BuildPromptAsync(prompt, cancellationToken).ConfigureAwait(false);

        var request = new ModelRequest(ModelPrompt.FromTokens(tokens), turn.Options)
        {
            CacheKey = turn.Store ? Key : null,
            KeepAlive = turn.KeepAlive,
            Sampling = turn.Sampling,
        };
        var answer = new StringBuilder();
        var generated = new List<int>();
        await foreach (var update in model.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            answer.Append(update.Text);
            generated.AddRange(update.Tokens);
            yield return update;
        }

        if (!turn.Store)
        {
            yield break;
        }

        var now = _time.GetUtcNow();
        List<ConversationItem> items = [.. state.Items, .. turn.Messages.Select(message => NewItem(message.Role, message.Content, now)), NewItem("assistant", answer.ToString(), now)];
        _state.State = state with
        {
            ModelId = modelId,
            ModelName = modelName ?? state.ModelName,
            Items = items,
            Tokens = [.. tokens, .. generated],
            TokensCover = items.Count,
        };
        await _state.WriteStateAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A new item with an OpenAI-style id.</summary>
    public static ConversationItem NewItem(string role, string content, DateTimeOffset createdAt) =>
        new("msg_" + Guid.NewGuid().ToString("N"), role, content, createdAt);

    private ConversationInfo Info() =>
        new(Key, _state.State.ModelName, _state.State.CreatedAt, _state.State.Metadata, _state.State.Items.Count);

    private void EnsureExists()
    {
        if (!_state.State.Exists)
        {
            throw new ConversationNotFoundException(Key);
        }
    }
}
