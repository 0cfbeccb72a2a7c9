using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>
/// llama-server's <c>timings</c>: prompt and generation speed, in milliseconds; with a draft model
/// (speculative decoding) also <c>draft_n</c> and <c>draft_n_accepted</c>, absent without one, as there.
/// </summary>
public sealed record Timings(int CacheN, int PromptN, double PromptMs, double PromptPerSecond, int PredictedN, double PredictedMs, double PredictedPerSecond)
{
    public int? DraftN { get; init; }

    public int? DraftNAccepted { get; init; }
}
