using System.Runtime.CompilerServices;
using ModelRunner.Silo.Cluster;
using Orleans.Runtime;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Retries the start of a grain stream that reached a node as it died. Plain calls are retried by
/// <see cref="NodeLossRetryFilter"/>, but a stream is started through Orleans' own enumeration
/// extension, which that filter leaves alone; so it is retried here, and only before its first
/// item: after that the answer has started and cannot be replayed.
/// </summary>
internal static class ClusterRetry
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

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
        NodeLossRetryFilter.IsNodeLoss(exception) || exception is EnumerationAbortedException;
}
