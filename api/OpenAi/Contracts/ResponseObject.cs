using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A response of the Responses API.</summary>
public sealed record ResponseObject(
    string Id,
    long CreatedAt,
    string Status,
    string Model,
    IReadOnlyList<MessageItem> Output,
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

    public string ToolChoice => "auto";

    public IReadOnlyList<object> Tools => [];

    public bool ParallelToolCalls => true;

    public ResponseText Text => new(new ResponseTextFormat("text"));
}
