using Microsoft.Extensions.Logging;

namespace ModelRunner.Silo.Hosting;

internal sealed partial class SiloHostedService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Silo started with {GrainTypes} grain types")]
    private static partial void LogStarted(ILogger logger, int grainTypes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopped")]
    private static partial void LogStopped(ILogger logger);
}
