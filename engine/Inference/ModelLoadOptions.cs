using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ModelRunner.Engine.Inference;

/// <summary>How a model's weights are loaded.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>
    /// Layers to offload to the GPU. Null (the default) offloads every layer when llama.cpp has a
    /// GPU device and none otherwise; 0 keeps the model on the CPU.
    /// </summary>
    public int? GpuLayers { get; init; }

    /// <summary>The GPU that holds the whole model when it is not split. Default 0.</summary>
    public int MainGpu { get; init; }

    /// <summary>Memory-map the file instead of reading it (default true; llama.cpp's default).</summary>
    public bool UseMmap { get; init; } = true;

    /// <summary>Lock the weights in RAM so the OS cannot swap them out. Default false.</summary>
    public bool UseMlock { get; init; }

    /// <summary>
    /// Let llama.cpp repack weights into CPU-specific layouts for faster matrix products.
    /// Default false: repacked kernels multiply one token and many tokens with different
    /// rounding, so a greedy request's output would depend on what else shares its batch.
    /// Measured on smollm2-360m Q4_K_M, 2 cores: repacking is 5-10% faster in batches.
    /// </summary>
    public bool RepackWeights { get; init; }

    /// <summary>A chat template to use instead of the one in the file (e.g. an artifact's template layer); null keeps the file's.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Load only the vocabulary (tokenize, count tokens, apply templates). Default false.</summary>
    public bool VocabularyOnly { get; init; }

    /// <summary>Where the model logs its load and its release. Default: nowhere.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
