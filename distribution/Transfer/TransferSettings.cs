namespace ModelRunner.Distribution.Transfer;

/// <summary>The validated transfer knobs of <see cref="ModelDistributionOptions"/>, as the transfer code uses them.</summary>
internal sealed record TransferSettings(
    int MaxConcurrentTransfers,
    int MaxRetries,
    TimeSpan RetryBaseDelay,
    TimeSpan StallTimeout,
    long PushChunkSize,
    TimeSpan ProgressInterval,
    TimeProvider Time)
{
    /// <summary>A transfer that makes progress on every attempt still stops after this many attempts in all.</summary>
    public const int MaxAttemptsInAll = 1000;

    /// <summary>The delay before retry number <paramref name="failures"/> (1-based) of attempts that made no progress: exponential, capped at 10 s.</summary>
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(RetryBaseDelay.Ticks * (1L << Math.Min(failures - 1, 16)), TimeSpan.FromSeconds(10).Ticks));
}
