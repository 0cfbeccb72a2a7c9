using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>Tokens an embedding request read.</summary>
public sealed record EmbeddingUsage(int PromptTokens, int TotalTokens);
