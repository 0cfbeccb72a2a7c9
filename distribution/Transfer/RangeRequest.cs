namespace ModelRunner.Distribution.Transfer;

/// <summary>
/// Sends a request for a blob starting at <paramref name="offset"/> (a <c>Range</c> request when it is not 0).
/// Answers 200, 206 and 416 come back; anything else is thrown as a typed error (transient or not).
/// </summary>
internal delegate Task<HttpResponseMessage> RangeRequest(long offset, CancellationToken cancellationToken);
