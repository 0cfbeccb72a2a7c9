namespace ModelRunner.Distribution;

/// <summary>
/// The base of every error this library raises on purpose: a bad reference, a model that is not there, a registry
/// that refuses, a download that does not verify, a full disk. The message is meant for the user as it stands.
/// </summary>
public class DistributionException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DistributionException()
        : base("The model distribution operation failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DistributionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public DistributionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
