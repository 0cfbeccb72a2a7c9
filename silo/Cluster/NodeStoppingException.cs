namespace ModelRunner.Silo.Cluster;

/// <summary>
/// A grain on a node that is stopping (SIGTERM) refused new work: the caller retries, and once
/// the grain has been handed over its next call activates it on a node that stays.
/// </summary>
[GenerateSerializer, Alias("modelrunner.node-stopping")]
public sealed class NodeStoppingException : Exception
{
    public NodeStoppingException(string message)
        : base(message)
    {
    }

    public NodeStoppingException()
    {
    }

    public NodeStoppingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
