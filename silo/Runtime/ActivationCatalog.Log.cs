using Microsoft.Extensions.Logging;
using ModelRunner.Silo.Cluster;

namespace ModelRunner.Silo.Runtime;

internal sealed partial class ActivationCatalog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing {GrainId} from the grain directory failed")]
    private static partial void LogUnregisterFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo shutdown timed out with {Count} activations still busy; they were not deactivated")]
    private static partial void LogShutdownIncomplete(ILogger logger, int count);
}
