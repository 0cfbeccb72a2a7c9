using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Conversations;

/// <summary>One turn: the new messages (usually one user message) and how to answer them.</summary>
/// <param name="Messages">Messages added by this turn.</param>
/// <param name="Options">What to generate.</param>
public sealed record ConversationTurn(IReadOnlyList<ChatMessage> Messages, GenerationOptions Options)
{
    public SamplingOverrides Sampling { get; init; } = SamplingOverrides.None;

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>The model's keep-alive after this turn (see <see cref="ModelRequest.KeepAlive"/>).</summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>When false the turn is answered but nothing is recorded (OpenAI's <c>store: false</c>).</summary>
    public bool Store { get; init; } = true;
}
