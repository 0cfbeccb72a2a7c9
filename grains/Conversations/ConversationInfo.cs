namespace ModelRunner.Grains.Conversations;

/// <summary>A conversation as the Conversations API shows it.</summary>
public sealed record ConversationInfo(string Id, string? Model, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Metadata, int ItemCount);
