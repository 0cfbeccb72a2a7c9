using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

public sealed record TokenCount(int InputTokens);
