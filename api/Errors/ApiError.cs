namespace ModelRunner.Api.Errors;

/// <summary>
/// An error as every API family sees it before rendering it in its own shape: the HTTP status,
/// a kind from which each family picks its error type, the message, and the request field at fault.
/// </summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Kind">What went wrong, independent of the family.</param>
/// <param name="Message">A precise, human message.</param>
/// <param name="Param">The request field at fault, when one is.</param>
/// <param name="RetryAfter">For overload: when to try again.</param>
public sealed record ApiError(int Status, ApiErrorKind Kind, string Message, string? Param = null, TimeSpan? RetryAfter = null);
