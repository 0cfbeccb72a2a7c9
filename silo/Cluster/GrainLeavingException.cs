namespace ModelRunner.Silo.Cluster;

/// <summary>
/// A grain activation that is leaving refused new work: its node is stopping (SIGTERM), or its
/// model is being unloaded to make room for another. The caller retries, and once the activation
/// has gone its next call activates the grain afresh (on a node that stays).
/// </summary>
[GenerateSerializer, Alias("modelrunner.grain-leaving")]
public sealed class GrainLeavingException : Exception
{
    public GrainLeavingException(string message)
        : base(message)
    {
    }

    public GrainLeavingException()
    {
    }

    public GrainLeavingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
