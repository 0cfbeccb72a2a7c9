using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>llama-server's <c>timings</c>: prompt and generation speed, in milliseconds.</summary>
public sealed record Timings(int CacheN, int PromptN, double PromptMs, double PromptPerSecond, int PredictedN, double PredictedMs, double PredictedPerSecond);
