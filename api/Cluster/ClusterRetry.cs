using System.Runtime.CompilerServices;
using Orleans.Runtime;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Retries a grain call that reached a node as it died: Orleans fails such calls with
/// <see cref="SiloUnavailableException"/> until the membership declares the node dead (seconds,
/// as configured), after which the grain activates on a survivor. A stream is retried only
/// before its first item: after that the answer has started and cannot be replayed.
/// </summary>
internal static class ClusterRetry
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception exception) when (IsNodeLoss(exception) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static Task CallAsync(Func<Task> call, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public static async IAsyncEnumerable<T> StreamAsync<T>(Func<IAsyncEnumerable<T>> start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var stream = start().GetAsyncEnumerator(cancellationToken);
            bool any;
            try
            {
                any = await stream.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (IsNodeLoss(exception) && DateTime.UtcNow < deadline)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                while (any)
                {
                    yield return stream.Current;
                    any = await stream.MoveNextAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            yield break;
        }
    }

    private static bool IsNodeLoss(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or EnumerationAbortedException;
}
