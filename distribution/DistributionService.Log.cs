using Microsoft.Extensions.Logging;

namespace ModelRunner.Distribution;

internal sealed partial class DistributionService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Started the {Operation} of {Reference}")]
    private static partial void LogStarted(ILogger logger, string operation, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished the {Operation} of {Reference} in {Milliseconds:F0} ms")]
    private static partial void LogFinished(ILogger logger, string operation, string reference, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelled the {Operation} of {Reference}")]
    private static partial void LogCancelled(ILogger logger, string operation, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Operation} of {Reference} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string operation, string reference, string reason);
}
