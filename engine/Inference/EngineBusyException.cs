namespace ModelRunner.Engine.Inference;

/// <summary>Every sequence is busy and the waiting queue is full; try again shortly (HTTP 503 with Retry-After).</summary>
public sealed class EngineBusyException(int sequences, int queued)
    : Exception($"the model is busy: all {sequences} sequences are generating and {queued} requests are waiting")
{
    /// <summary>A reasonable wait before retrying.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
