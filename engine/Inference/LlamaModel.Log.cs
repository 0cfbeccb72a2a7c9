using Microsoft.Extensions.Logging;

namespace ModelRunner.Engine.Inference;

public sealed partial class LlamaModel
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Loading {Path} ({GpuLayers} GPU layers, llama.cpp {Variant})")]
    private static partial void LogLoading(ILogger logger, string path, int gpuLayers, string variant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Path}: {Bytes} bytes of weights in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string path, long bytes, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "llama.cpp could not load {Path}: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Path}")]
    private static partial void LogReleased(ILogger logger, string path);
}
