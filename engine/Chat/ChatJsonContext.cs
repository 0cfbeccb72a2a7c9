using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Engine.Chat;

/// <summary>Source-generated JSON for what the chat layer writes into prompts.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ToolDescription))]
[JsonSerializable(typeof(string))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
