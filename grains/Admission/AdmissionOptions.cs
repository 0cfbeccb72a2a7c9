namespace ModelRunner.Grains.Admission;

/// <summary>How much memory models may take on this node.</summary>
public sealed class AdmissionOptions
{
    /// <summary>
    /// System memory models may use, in bytes; null (the default) uses the memory available to
    /// this process (physical RAM, or the container's limit) minus <see cref="SafetyMargin"/>.
    /// Environment: <c>MODEL_RUNNER_MEMORY_BYTES</c>.
    /// </summary>
    public long? MemoryBytes { get; set; }

    /// <summary>GPU memory models may use; null uses what the GPUs report free, minus the margin.</summary>
    public long? GpuMemoryBytes { get; set; }

    /// <summary>Fraction of the memory kept free for everything else (default 0.10).</summary>
    public double SafetyMargin { get; set; } = 0.10;

    /// <summary>Most models loaded at once; null (the default) lets memory decide.</summary>
    public int? MaxLoadedModels { get; set; }
}
