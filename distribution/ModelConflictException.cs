namespace ModelRunner.Distribution;

/// <summary>
/// The store refused a change that would lose something the caller did not name: removing a model by id while
/// several tags still point at it, without <c>force</c>. HTTP callers answer 409.
/// </summary>
public sealed class ModelConflictException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ModelConflictException()
        : base("The model is referenced by several tags; removing it must be forced.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ModelConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public ModelConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
