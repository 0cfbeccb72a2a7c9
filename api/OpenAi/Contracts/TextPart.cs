using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A text part of an item: <c>input_text</c> or <c>output_text</c>.</summary>
public sealed record TextPart(string Type, string Text)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Annotations => Type == "output_text" ? [] : null;
}
