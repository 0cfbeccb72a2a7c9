namespace ModelRunner.Bench.Soak;

/// <summary>How one soak request ended, as the client saw it.</summary>
internal enum SoakOutcome
{
    /// <summary>A 2xx answer read to its end.</summary>
    Ok,

    /// <summary>The client hung up mid-stream on purpose.</summary>
    Disconnected,

    /// <summary>503 with Retry-After: every sequence busy (back-pressure, not a failure).</summary>
    Busy,

    /// <summary>507: the model does not fit because every loaded model is busy (a busy model is never evicted).</summary>
    Refused,

    /// <summary>Any other 5xx, a 4xx, a reset connection or a broken stream.</summary>
    Error,
}
