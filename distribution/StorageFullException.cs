namespace ModelRunner.Distribution;

/// <summary>
/// The model store's file system has no room for what is being written. What was written of it is deleted, so the
/// store is as it was before the operation.
/// </summary>
public sealed class StorageFullException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public StorageFullException()
        : base("There is no space left in the model store.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public StorageFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public StorageFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
