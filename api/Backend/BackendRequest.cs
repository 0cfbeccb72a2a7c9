using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Backend;

/// <summary>
/// A generation request as every API family expresses it once its own shape is read: the model
/// name, a chat or a raw prompt, tools, the answer's format, and generation settings.
/// </summary>
public sealed record BackendRequest
{
    /// <summary>The model as the client named it (<c>ai/smollm2</c>, <c>smollm2</c>, an id…).</summary>
    public required string Model { get; init; }

    /// <summary>A chat (formatted with the model's template) or a raw prompt.</summary>
    public required ModelPrompt Prompt { get; init; }

    public GenerationOptions Options { get; init; } = new();

    public SamplingOverrides Sampling { get; init; } = SamplingOverrides.None;

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public ToolChoice ToolChoice { get; init; } = ToolChoice.Auto;

    public ResponseFormat Format { get; init; } = ResponseFormat.Text;

    /// <summary>The model's keep-alive after this request (see <see cref="ModelRequest.KeepAlive"/>).</summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>
    /// A conversation kept on the server (<c>X-Conversation-Id</c>): the prompt's messages are the
    /// turn's new messages, the history is the conversation's.
    /// </summary>
    public string? ConversationId { get; init; }

    /// <summary>
    /// Whether a reasoning model thinks before answering (OpenAI's <c>reasoning_effort</c>, Ollama's
    /// <c>think</c>, Anthropic's <c>thinking</c>); null follows the model's configuration.
    /// </summary>
    public bool? Think { get; init; }

    /// <summary>Most thinking tokens (Anthropic's <c>budget_tokens</c>); null follows the model's <c>--reasoning-budget</c>.</summary>
    public int? ReasoningBudget { get; init; }

    /// <summary>Where the request came from, for the request log and metrics.</summary>
    public RequestOrigin Origin { get; init; } = RequestOrigin.Internal;
}
