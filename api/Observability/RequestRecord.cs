namespace ModelRunner.Api.Observability;

/// <summary>One inference request as <c>/engines/requests</c> shows it.</summary>
public sealed record RequestRecord(
    string Id,
    string Model,
    string Method,
    string Url,
    string Request,
    string Response,
    string? Error,
    DateTimeOffset Timestamp,
    int StatusCode,
    RequestTokens Tokens,
    RequestTimings Timings);
