using Microsoft.Extensions.Logging;

namespace ModelRunner.Silo.Storage;

internal sealed partial class SqliteGrainStorage
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name}: database {Path} migrated from schema version {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string name, string path, int from, int to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Name}: database {Path} could not use WAL (journal mode {Mode}); writers will block readers")]
    private static partial void LogNoWal(ILogger logger, string name, string path, string? mode);
}
