using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>The one choice of a stream chunk; the finish reason is set on the last.</summary>
public sealed record ChunkChoice(int Index, ChunkDelta Delta, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ChoiceLogprobs? Logprobs, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);
