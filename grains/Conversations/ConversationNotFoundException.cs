namespace ModelRunner.Grains.Conversations;

/// <summary>No conversation has this id (HTTP 404).</summary>
public sealed class ConversationNotFoundException(string id) : Exception($"conversation {id} not found")
{
    public string Id { get; } = id;
}
