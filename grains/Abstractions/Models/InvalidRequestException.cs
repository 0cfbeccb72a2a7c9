namespace ModelRunner.Grains.Models;

/// <summary>
/// A request a grain was given is invalid: the caller's mistake, never the server's.
/// <see cref="Field"/> names the request field at fault, so the HTTP layer answers 400 naming it;
/// any other exception out of a grain is a server error.
/// </summary>
[GenerateSerializer, Alias("modelrunner.invalid-request")]
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException(string message, string field)
        : base(message)
    {
        Field = field;
    }

    public InvalidRequestException()
    {
    }

    public InvalidRequestException(string message)
        : base(message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The request field at fault (<c>model</c>, <c>tools</c>, <c>runtime-flags</c>, …).</summary>
    [Id(0)]
    public string? Field { get; private set; }
}
