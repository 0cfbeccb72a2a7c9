using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelRunner.Engine.Native;

namespace ModelRunner.Grains.Hosting;

/// <summary>
/// Routes llama.cpp's own log lines (model loading, context creation, warnings) into
/// <see cref="ILogger"/> under the <c>llama.cpp</c> category while the host runs, so every log
/// provider (the console, <c>/logs</c>) shows them. llama.cpp's log is process-wide: one host at a
/// time owns it, the last one started.
/// </summary>
internal sealed partial class LlamaLogForwarder(ILoggerFactory loggers) : IHostedService
{
    public const string Category = "llama.cpp";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LlamaLibrary.LogHandler = Forward;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Leave a later host's handler alone.
        if (LlamaLibrary.LogHandler == Forward)
        {
            LlamaLibrary.LogHandler = null;
        }

        return Task.CompletedTask;
    }

    // Called on whatever native thread llama.cpp logs from; LlamaLibrary has already joined
    // continuation pieces into whole lines and never lets an exception reach native code.
    private void Forward(LlamaLogLevel level, string line)
    {
        var logLevel = Of(level);
        LogLine(_logger, logLevel, line);
    }

    private static LogLevel Of(LlamaLogLevel level) => level switch
    {
        LlamaLogLevel.Error => LogLevel.Error,
        LlamaLogLevel.Warning => LogLevel.Warning,
        LlamaLogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [LoggerMessage(Message = "{Line}")]
    private static partial void LogLine(ILogger logger, LogLevel level, string line);
}
