using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

/// <summary>
/// A block of a message: <c>text</c> (with <see cref="Text"/>), <c>tool_use</c> (with id, name and
/// input) or <c>thinking</c> (a reasoning model's thinking, with an empty signature: this server
/// signs nothing, and takes thinking blocks back without checking one).
/// </summary>
public sealed record ContentBlock(string Type, string? Text = null, string? Id = null, string? Name = null, JsonElement? Input = null, string? Thinking = null, string? Signature = null)
{
    public static ContentBlock ForText(string text) => new("text", Text: text);

    public static ContentBlock ForThinking(string thinking) => new("thinking", Thinking: thinking, Signature: "");
}
