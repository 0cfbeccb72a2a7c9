using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace ModelRunner.Silo.Cluster;

/// <summary>
/// Retries a grain call that could not be delivered because a node died: until the membership
/// declares it dead (seconds, as configured), calls to grains it hosted, or whose directory entry
/// it held, fail with <see cref="SiloUnavailableException"/> or a message rejection; once it is
/// declared dead, the same call activates the grain on a survivor. The client of the API sees a
/// success, not a 500. Gives up after 30 s.
/// </summary>
public sealed partial class NodeLossRetryFilter(ILogger<NodeLossRetryFilter> logger) : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        // Only our own grains' calls: Orleans' system calls (probes, directory lookups) have
        // their own timeouts and must fail fast for the membership to declare the node dead.
        if (context.InterfaceMethod?.DeclaringType?.Namespace?.StartsWith("ModelRunner.", StringComparison.Ordinal) != true)
        {
            await context.Invoke().ConfigureAwait(false);
            return;
        }

        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Exception? failure;
            try
            {
                await context.Invoke().ConfigureAwait(false);
                failure = context.Response?.Exception;
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            if (failure is null || !IsNodeLoss(failure) || DateTime.UtcNow >= deadline)
            {
                if (failure is not null && context.Response is null)
                {
                    throw failure;
                }

                return;
            }

            LogRetrying(context.MethodName, failure.Message);
            await Task.Delay(Pause).ConfigureAwait(false);
        }
    }

    /// <summary>The call could not reach its grain, or was refused by it, because a node is leaving: worth retrying once it has left.</summary>
    public static bool IsNodeLoss(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or GrainLeavingException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Method} after {Failure}: a node or a grain is leaving")]
    private partial void LogRetrying(string method, string failure);
}
