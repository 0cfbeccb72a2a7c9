namespace ModelRunner.Silo.Cluster;

/// <summary>The cluster's PostgreSQL database cannot be reached or used; the message says which and why.</summary>
public sealed class ClusterDatabaseException : Exception
{
    public ClusterDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClusterDatabaseException()
    {
    }

    public ClusterDatabaseException(string message)
        : base(message)
    {
    }
}
