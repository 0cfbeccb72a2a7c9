using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

/// <summary>A block of a message: <c>text</c> (with <see cref="Text"/>) or <c>tool_use</c> (with id, name and input).</summary>
public sealed record ContentBlock(string Type, string? Text = null, string? Id = null, string? Name = null, JsonElement? Input = null)
{
    public static ContentBlock ForText(string text) => new("text", Text: text);
}
