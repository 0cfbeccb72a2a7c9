using Microsoft.Extensions.Logging;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

internal sealed partial class Activation
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Activated {GrainId}")]
    private static partial void LogActivated(ILogger logger, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation of {GrainId} failed; the next call tries again")]
    private static partial void LogActivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    private static partial void LogDeactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} ({Reason}) failed; the activation is removed anyway")]
    private static partial void LogDeactivationFailed(ILogger logger, GrainId grainId, DeactivationReason reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disposing {GrainId} failed")]
    private static partial void LogDisposeFailed(ILogger logger, GrainId grainId, Exception exception);
}
