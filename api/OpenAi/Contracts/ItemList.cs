using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A page of items (all of them: there is never more).</summary>
public sealed record ItemList(IReadOnlyList<MessageItem> Data)
{
    public string Object => "list";

    public string? FirstId => Data.Count > 0 ? Data[0].Id : null;

    public string? LastId => Data.Count > 0 ? Data[^1].Id : null;

    public bool HasMore => false;
}
