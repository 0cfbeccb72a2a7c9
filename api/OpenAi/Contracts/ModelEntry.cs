using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A model in <c>GET /models</c>.</summary>
public sealed record ModelEntry(string Id, long Created, string OwnedBy)
{
    public string Object => "model";
}
