namespace ModelRunner.Distribution.Transfer;

/// <summary>Bounded retries with exponential backoff for requests that can simply be sent again (manifests, HEADs, uploads).</summary>
internal static class Retry
{
    /// <summary>Is <paramref name="exception"/> a network failure worth another attempt, rather than a definite answer or the caller's cancellation?</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        TransientTransferException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException { StatusCode: null } => true,
        // File errors are turned into DistributionExceptions where files are written, so an IOException here is the network's.
        IOException => true,
        _ => false,
    };

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, TransferSettings settings, Action<string>? warn, string what, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && failures < settings.MaxRetries)
            {
                warn?.Invoke($"{what}: {Describe(e)}; retrying ({failures + 1}/{settings.MaxRetries})");
                await Task.Delay(settings.Backoff(failures + 1), settings.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                throw new DistributionException($"{what} failed after {settings.MaxRetries + 1} attempts: {Describe(e)}", e);
            }
        }
    }

    public static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "the connection stalled",
        _ => exception.InnerException is { } inner && exception is HttpRequestException ? $"{exception.Message} ({inner.Message})" : exception.Message,
    };
}
