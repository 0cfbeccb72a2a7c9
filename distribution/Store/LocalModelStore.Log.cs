using Microsoft.Extensions.Logging;

namespace ModelRunner.Distribution.Store;

internal sealed partial class LocalModelStore
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted {Count} temporary files a crash left in the store {Root}")]
    private static partial void LogLeftovers(ILogger logger, int count, string root);
}
