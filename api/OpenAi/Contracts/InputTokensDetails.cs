using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

public sealed record InputTokensDetails(int CachedTokens);
