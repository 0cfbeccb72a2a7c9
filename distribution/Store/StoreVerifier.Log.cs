using Microsoft.Extensions.Logging;

namespace ModelRunner.Distribution.Store;

internal sealed partial class StoreVerifier
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Store check: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked the store: {Models} models, {Blobs} blobs ({Bytes} bytes) hashed, {Problems} problems")]
    private static partial void LogChecked(ILogger logger, int models, int blobs, long bytes, int problems);
}
