using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A choice's log probabilities, token by token.</summary>
public sealed record ChoiceLogprobs(IReadOnlyList<LogprobEntry> Content);
