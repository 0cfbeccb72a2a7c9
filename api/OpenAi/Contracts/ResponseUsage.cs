using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>Tokens of a response; cached input tokens were reused from the KV cache.</summary>
public sealed record ResponseUsage(int InputTokens, InputTokensDetails InputTokensDetails, int OutputTokens, OutputTokensDetails OutputTokensDetails, int TotalTokens);
