using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Silo.Tests.Support;

public sealed record Note(string Text, int Revision);

public sealed record Tally(int Count);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(Tally))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
