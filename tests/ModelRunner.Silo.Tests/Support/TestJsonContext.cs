using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Silo.Tests.Support;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(Tally))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
