using System.Text.Json;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>A schema with JSON the grammar must accept and JSON it must reject.</summary>
internal sealed record SchemaCase(string Name, string Schema, IReadOnlyList<string> Valid, IReadOnlyList<string> Invalid)
{
    public JsonElement Element => JsonElement.Parse(Schema);
}
