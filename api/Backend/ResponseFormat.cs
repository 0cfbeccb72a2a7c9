using System.Text.Json;

namespace ModelRunner.Api.Backend;

/// <summary>The shape the answer must take: free text, any JSON object, or JSON valid against a schema.</summary>
public sealed record ResponseFormat(string Type, JsonElement? Schema = null)
{
    public static ResponseFormat Text { get; } = new("text");

    public static ResponseFormat JsonObject { get; } = new("json_object");

    public static ResponseFormat JsonSchema(JsonElement schema) => new("json_schema", schema.Clone());
}
