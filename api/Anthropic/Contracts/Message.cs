using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

/// <summary>An answer of <c>/v1/messages</c>.</summary>
public sealed record Message(string Id, string Model, IReadOnlyList<ContentBlock> Content, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopReason, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopSequence, MessageUsage Usage)
{
    public string Type => "message";

    public string Role => "assistant";
}
