using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>How many prompt tokens came from the KV cache.</summary>
public sealed record PromptTokensDetails(int CachedTokens);
