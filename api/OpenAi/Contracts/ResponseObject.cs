using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A response of the Responses API; its output holds <see cref="MessageItem"/>s and <see cref="FunctionCallItem"/>s.</summary>
public sealed record ResponseObject(
    string Id,
    long CreatedAt,
    string Status,
    string Model,
    IReadOnlyList<object> Output,
    ResponseUsage? Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PreviousResponseId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Instructions,
    bool Store,
    IReadOnlyDictionary<string, string> Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? MaxOutputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] float? Temperature,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] float? TopP)
{
    public string Object => "response";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Error => null;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? IncompleteDetails => null;

    /// <summary>The request's <c>tool_choice</c>: a mode, or the function object.</summary>
    public object ToolChoice { get; init; } = "auto";

    /// <summary>The request's tools, as it sent them.</summary>
    public IReadOnlyList<JsonElement> Tools { get; init; } = [];

    public bool ParallelToolCalls => true;

    public ResponseText Text => new(new ResponseTextFormat("text"));
}
