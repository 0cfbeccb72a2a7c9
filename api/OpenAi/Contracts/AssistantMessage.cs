using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>The answer's message: text, or tool calls (content null then).</summary>
public sealed record AssistantMessage([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Content, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallEntry>? ToolCalls)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Role => "assistant";
}
