namespace ModelRunner.Distribution;

/// <summary>
/// Downloaded bytes do not hash to the digest (or do not have the size) their descriptor promised. Nothing of them
/// is kept: the partial file is deleted and the store is unchanged.
/// </summary>
public sealed class DigestMismatchException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DigestMismatchException()
        : base("The downloaded content does not match its digest.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DigestMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public DigestMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
