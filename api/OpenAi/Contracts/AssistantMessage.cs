using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>The answer's message: text, or tool calls (content null then), and a reasoning model's thinking apart.</summary>
public sealed record AssistantMessage([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Content, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallEntry>? ToolCalls)
{
    /// <summary>The thinking before the answer (llama-server's and DeepSeek's field); absent when the model did not think.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningContent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Role => "assistant";
}
