using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A conversation of the Conversations API.</summary>
public sealed record ConversationObject(string Id, long CreatedAt, IReadOnlyDictionary<string, string> Metadata)
{
    public string Object => "conversation";
}
