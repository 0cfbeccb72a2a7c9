using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

/// <summary>Tokens read and written; cache reads are prompt tokens whose KV state was reused.</summary>
public sealed record MessageUsage(int InputTokens, int OutputTokens, int CacheReadInputTokens = 0)
{
    public int CacheCreationInputTokens => 0;
}
