using System.Text.Json;
using System.Text.Json.Serialization;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains;

/// <summary>Source-generated JSON for the state grains persist.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ModelSettings))]
[JsonSerializable(typeof(ConversationState))]
internal sealed partial class GrainsJsonContext : JsonSerializerContext;
