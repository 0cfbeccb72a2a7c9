namespace ModelRunner.Grains.Conversations;

/// <summary>
/// What a conversation persists: its model, its items, and the exact tokens the model saw and
/// generated for the first <see cref="TokensCover"/> items, so the next turn continues from them.
/// </summary>
[GenerateSerializer, Immutable, Alias("modelrunner.conversation-state")]
public sealed record ConversationState
{
    [Id(0)]
    public bool Exists { get; init; }

    [Id(1)]
    public string? ModelId { get; init; }

    [Id(2)]
    public string? ModelName { get; init; }

    [Id(3)]
    public IReadOnlyList<ConversationItem> Items { get; init; } = [];

    [Id(4)]
    public IReadOnlyList<int> Tokens { get; init; } = [];

    [Id(5)]
    public int TokensCover { get; init; }

    [Id(6)]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    [Id(7)]
    public DateTimeOffset CreatedAt { get; init; }
}
