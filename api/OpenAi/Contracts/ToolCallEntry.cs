using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A tool call in a message (or, with <see cref="Index"/>, in a stream delta).</summary>
public sealed record ToolCallEntry(string Id, FunctionCall Function)
{
    public string Type => "function";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Index { get; init; }
}
