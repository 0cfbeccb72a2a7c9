namespace ModelRunner.Distribution.Registry;

/// <summary>
/// A registry (or the Hugging Face Hub) answered with an error that retrying will not fix, or kept failing until the
/// retries ran out. <see cref="StatusCode"/> and <see cref="ErrorCode"/> say what it answered, when it did.
/// </summary>
public sealed class RegistryException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public RegistryException()
        : base("The registry answered with an error.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public RegistryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an HTTP answer.</summary>
    public RegistryException(string message, int statusCode, string? errorCode)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status the registry answered, if it answered.</summary>
    public int? StatusCode { get; }

    /// <summary>The OCI error code (<c>MANIFEST_UNKNOWN</c>, <c>DENIED</c>, …) from the answer's body, if any.</summary>
    public string? ErrorCode { get; }
}
