using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A message item of a response, a response's input or a conversation.</summary>
public sealed record MessageItem(string Id, string Role, IReadOnlyList<TextPart> Content)
{
    public string Type => "message";

    public string Status => "completed";
}
