namespace ModelRunner.Engine.Memory;

/// <summary>What loading a model and creating its context will allocate, before doing either.</summary>
/// <param name="WeightsBytes">Tensor data of the model file.</param>
/// <param name="KvCacheBytes">KV cells for every sequence's context.</param>
/// <param name="ComputeBytes">Compute and output buffers (dominated by one batch of logits).</param>
/// <param name="GpuBytes">The part that goes to the GPU (0 on CPU).</param>
public sealed record MemoryEstimate(long WeightsBytes, long KvCacheBytes, long ComputeBytes, long GpuBytes)
{
    public long TotalBytes => WeightsBytes + KvCacheBytes + ComputeBytes;

    /// <summary>The part that stays in system RAM.</summary>
    public long HostBytes => TotalBytes - GpuBytes;

    /// <summary>Both allocations together, e.g. a model and its draft.</summary>
    public MemoryEstimate Plus(MemoryEstimate other) =>
        new(WeightsBytes + other.WeightsBytes, KvCacheBytes + other.KvCacheBytes, ComputeBytes + other.ComputeBytes, GpuBytes + other.GpuBytes);
}
