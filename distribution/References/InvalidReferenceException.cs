namespace ModelRunner.Distribution.References;

/// <summary>
/// A model reference, tag or digest is malformed, or could escape the model store. The message quotes the input and
/// says which rule it breaks.
/// </summary>
public sealed class InvalidReferenceException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidReferenceException()
        : base("The model reference is invalid.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public InvalidReferenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public InvalidReferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
