namespace ModelRunner.Api.Errors;

/// <summary>What went wrong, independent of the API family that reports it.</summary>
public enum ApiErrorKind
{
    /// <summary>The request is malformed or a field is invalid (400).</summary>
    InvalidRequest,

    /// <summary>No valid API key (401).</summary>
    Authentication,

    /// <summary>The model, conversation or route does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state, e.g. a busy model (409).</summary>
    Conflict,

    /// <summary>The body is larger than allowed (413).</summary>
    TooLarge,

    /// <summary>Every sequence is busy and the queue is full (503, Retry-After).</summary>
    Overloaded,

    /// <summary>The model does not fit in memory (507).</summary>
    InsufficientStorage,

    /// <summary>The feature is not supported by this engine (501).</summary>
    NotImplemented,

    /// <summary>Something failed on the server (500).</summary>
    Server,
}
