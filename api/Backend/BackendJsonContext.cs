using System.Text.Json.Serialization;

namespace ModelRunner.Api.Backend;

[JsonSerializable(typeof(string))]
internal sealed partial class BackendJsonContext : JsonSerializerContext;
