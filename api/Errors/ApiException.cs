namespace ModelRunner.Api.Errors;

/// <summary>An error an endpoint raises with its classification already decided.</summary>
public sealed class ApiException(ApiError error) : Exception(error.Message)
{
    public ApiError Error { get; } = error;

    /// <summary>A 400 naming the field at fault.</summary>
    public static ApiException Invalid(string message, string? param = null) => new(new ApiError(400, ApiErrorKind.InvalidRequest, message, param));

    public static ApiException NotFound(string message, string? param = null) => new(new ApiError(404, ApiErrorKind.NotFound, message, param));
}
