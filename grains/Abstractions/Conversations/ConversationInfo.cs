namespace ModelRunner.Grains.Conversations;

/// <summary>A conversation as the Conversations API shows it.</summary>
[GenerateSerializer, Immutable, Alias("modelrunner.conversation-info")]
public sealed record ConversationInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Model,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(4)] int ItemCount);
