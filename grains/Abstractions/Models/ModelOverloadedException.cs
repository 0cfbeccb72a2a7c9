namespace ModelRunner.Grains.Models;

/// <summary>Every sequence of the model is busy and its waiting queue is full; try again shortly (HTTP 503 with Retry-After).</summary>
[GenerateSerializer, Alias("modelrunner.model-overloaded")]
public sealed class ModelOverloadedException : Exception
{
    public ModelOverloadedException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    public ModelOverloadedException()
    {
    }

    public ModelOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A reasonable wait before retrying.</summary>
    [Id(0)]
    public TimeSpan RetryAfter { get; private set; } = TimeSpan.FromSeconds(1);
}
