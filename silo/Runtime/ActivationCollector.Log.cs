using Microsoft.Extensions.Logging;

namespace ModelRunner.Silo.Runtime;

internal sealed partial class ActivationCollector
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Collecting {Count} idle activations")]
    private static partial void LogCollected(ILogger logger, int count);
}
