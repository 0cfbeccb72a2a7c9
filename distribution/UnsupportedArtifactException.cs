namespace ModelRunner.Distribution;

/// <summary>
/// The registry holds something that is not a model this runner can use: a container image, a model without a GGUF
/// layer, a manifest or config it cannot parse. The message names what was found.
/// </summary>
public sealed class UnsupportedArtifactException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public UnsupportedArtifactException()
        : base("The artifact is not a supported model.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public UnsupportedArtifactException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public UnsupportedArtifactException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
