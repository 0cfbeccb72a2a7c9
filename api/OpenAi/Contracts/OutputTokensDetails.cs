using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

public sealed record OutputTokensDetails(int ReasoningTokens);
