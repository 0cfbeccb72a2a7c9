using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>One of the most likely tokens at a position.</summary>
public sealed record TopLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes);
