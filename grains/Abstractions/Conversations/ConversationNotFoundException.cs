namespace ModelRunner.Grains.Conversations;

/// <summary>No conversation has this id (HTTP 404).</summary>
[GenerateSerializer, Alias("modelrunner.conversation-not-found")]
public sealed class ConversationNotFoundException : Exception
{
    public ConversationNotFoundException(string id)
        : base($"conversation {id} not found")
    {
        Id = id;
    }

    public ConversationNotFoundException()
    {
    }

    public ConversationNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)]
    public string? Id { get; private set; }
}
