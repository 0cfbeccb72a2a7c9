using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Conversations;

/// <summary>One turn: the new messages (usually one user message) and how to answer them.</summary>
/// <param name="Messages">Messages added by this turn.</param>
/// <param name="Request">How to answer: its prompt is ignored (the conversation builds it), the rest applies.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.conversation-turn")]
public sealed record ConversationTurn([property: Id(0)] IReadOnlyList<PromptMessage> Messages, [property: Id(1)] ModelRequest Request)
{
    /// <summary>Tools the model may call in this turn.</summary>
    [Id(2)]
    public IReadOnlyList<ToolSpec> Tools { get; init; } = [];

    /// <summary>When false the turn is answered but nothing is recorded (OpenAI's <c>store: false</c>).</summary>
    [Id(3)]
    public bool Store { get; init; } = true;
}
