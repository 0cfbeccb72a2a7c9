using ModelRunner.Api.Backend;

namespace ModelRunner.Api.Ollama;

/// <summary>Ollama reports durations in nanoseconds.</summary>
internal static class OllamaDurations
{
    public static long Nanoseconds(TimeSpan duration) => duration.Ticks * 100;

    /// <summary>Ollama's <c>done_reason</c>.</summary>
    public static string DoneReason(BackendFinish finish) => finish == BackendFinish.Length ? "length" : "stop";
}
