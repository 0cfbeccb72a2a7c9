namespace ModelRunner.Grains.Conversations;

/// <summary>One message of a conversation (OpenAI's conversation item of type <c>message</c>).</summary>
/// <param name="Id">The item id (<c>msg_…</c>).</param>
/// <param name="Role"><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">Its text.</param>
/// <param name="CreatedAt">When it was added.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.conversation-item")]
public sealed record ConversationItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string Role,
    [property: Id(2)] string Content,
    [property: Id(3)] DateTimeOffset CreatedAt);
