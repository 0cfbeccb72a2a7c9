namespace ModelRunner.Grains.Conversations;

/// <summary>
/// What a conversation persists: its model, its items, and the exact tokens the model saw and
/// generated for the first <see cref="TokensCover"/> items, so the next turn continues from them.
/// </summary>
public sealed record ConversationState
{
    public bool Exists { get; init; }

    public string? ModelId { get; init; }

    public string? ModelName { get; init; }

    public IReadOnlyList<ConversationItem> Items { get; init; } = [];

    public IReadOnlyList<int> Tokens { get; init; } = [];

    public int TokensCover { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset CreatedAt { get; init; }
}
