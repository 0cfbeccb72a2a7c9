using System.Text.Json.Serialization;
using ModelRunner.Api.OpenAi.Contracts;

namespace ModelRunner.Api.OpenAi;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelEntry))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatChunk))]
[JsonSerializable(typeof(Completion))]
[JsonSerializable(typeof(EmbeddingList))]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseEvent))]
[JsonSerializable(typeof(MessageItem))]
[JsonSerializable(typeof(FunctionCallItem))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ItemList))]
[JsonSerializable(typeof(DeletedObject))]
[JsonSerializable(typeof(ConversationObject))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(string))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;
