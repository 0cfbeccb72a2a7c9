namespace ModelRunner.Distribution;

/// <summary>
/// The model is not in the local store, or (when <see cref="Remote"/> is true) the registry or the Hugging Face Hub
/// has no such repository, tag, digest or file.
/// </summary>
public sealed class ModelNotFoundException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ModelNotFoundException()
        : base("The model was not found.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ModelNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public ModelNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a model missing locally or, when <paramref name="remote"/>, remotely.</summary>
    public ModelNotFoundException(string message, bool remote)
        : base(message)
    {
        Remote = remote;
    }

    /// <summary>True when a registry or the Hub said it has no such model; false for the local store.</summary>
    public bool Remote { get; }
}
