using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelRunner.Engine.Memory;
using ModelRunner.Engine.Native;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Admission;

/// <summary>
/// Decides whether a model may load on this node. Before a model grain loads its weights it asks
/// for the model's estimated memory (system RAM and, when offloading, GPU memory). If that does
/// not fit beside the models already loaded, idle model grains are unloaded, least recently used
/// first, until it does; a model serving a request or pinned (keep-alive &lt; 0) is never
/// unloaded. If it still does not fit, loading fails with both numbers. Admissions are decided
/// one at a time. Thread-safe.
/// </summary>
public sealed partial class ModelAdmission(LoadedModels loaded, IOptions<AdmissionOptions> options, ILogger<ModelAdmission> logger) : IDisposable
{
    private readonly SemaphoreSlim _deciding = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemoryEstimate> _admitted = new(StringComparer.Ordinal);

    /// <summary>System memory models may use.</summary>
    public long MemoryBudget => options.Value.MemoryBytes ?? (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * (1 - options.Value.SafetyMargin));

    /// <summary>System memory not yet admitted to any model.</summary>
    public long FreeMemory => Math.Max(0, MemoryBudget - InUse.Memory);

    /// <summary>Memory of the models admitted now: (system, GPU).</summary>
    public (long Memory, long Gpu) InUse
    {
        get
        {
            lock (_gate)
            {
                return (_admitted.Values.Sum(estimate => estimate.HostBytes), _admitted.Values.Sum(estimate => estimate.GpuBytes));
            }
        }
    }

    /// <summary>Admits a model, unloading idle ones if needed; dispose the result when the model unloads.</summary>
    /// <exception cref="ModelDoesNotFitException">It cannot fit even with every idle model unloaded.</exception>
    public async Task<IDisposable> AdmitAsync(string model, MemoryEstimate need, CancellationToken cancellationToken)
    {
        await _deciding.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var gpuBudget = need.GpuBytes > 0 ? GpuBudget() : long.MaxValue;
            var refused = new HashSet<string>(StringComparer.Ordinal);
            while (!Fits(need, gpuBudget))
            {
                var victim = loaded.All
                    .Where(candidate => candidate.Id != model && !refused.Contains(candidate.Key) && !candidate.IsBusy && !candidate.IsPinned)
                    .OrderBy(candidate => candidate.LastUsed)
                    .FirstOrDefault() ?? throw Refusal(model, need, gpuBudget);

                // Unloading releases the victim's admission (its grain disposes it on deactivation);
                // one that turned busy since it was chosen refuses, and stays.
                LogEvicting(victim.Id, model);
                if (!await victim.TryEvictAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    refused.Add(victim.Key);
                }
            }

            lock (_gate)
            {
                _admitted[model] = need;
            }

            LogAdmitted(model, need.TotalBytes, need.GpuBytes);
            return new Admission(this, model);
        }
        finally
        {
            _deciding.Release();
        }
    }

    public void Dispose() => _deciding.Dispose();

    private bool Fits(MemoryEstimate need, long gpuBudget)
    {
        lock (_gate)
        {
            var count = _admitted.Count;
            return count < (options.Value.MaxLoadedModels ?? int.MaxValue)
                && _admitted.Values.Sum(estimate => estimate.HostBytes) + need.HostBytes <= MemoryBudget
                && _admitted.Values.Sum(estimate => estimate.GpuBytes) + need.GpuBytes <= gpuBudget;
        }
    }

    private ModelDoesNotFitException Refusal(string model, MemoryEstimate need, long gpuBudget)
    {
        lock (_gate)
        {
            if (_admitted.Count >= (options.Value.MaxLoadedModels ?? int.MaxValue))
            {
                return new ModelDoesNotFitException(model, $"the {options.Value.MaxLoadedModels} model slots", need.TotalBytes, 0);
            }

            var busy = _admitted.Values.Sum(estimate => estimate.HostBytes);
            if (busy + need.HostBytes > MemoryBudget)
            {
                return new ModelDoesNotFitException(model, "system memory", need.HostBytes, Math.Max(0, MemoryBudget - busy));
            }

            return new ModelDoesNotFitException(model, "GPU memory", need.GpuBytes, Math.Max(0, gpuBudget - _admitted.Values.Sum(estimate => estimate.GpuBytes)));
        }
    }

    private long GpuBudget()
    {
        if (options.Value.GpuMemoryBytes is { } configured)
        {
            return configured;
        }

        // What the GPUs report free does not include what our own loaded models already use.
        var free = LlamaLibrary.ReadDevices().Where(device => device.IsGpu).Sum(device => device.FreeBytes);
        return (long)((free + InUse.Gpu) * (1 - options.Value.SafetyMargin));
    }

    private void Release(string model)
    {
        lock (_gate)
        {
            _admitted.Remove(model);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted model {Model}: {Bytes} bytes ({GpuBytes} on the GPU)")]
    private partial void LogAdmitted(string model, long bytes, long gpuBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unloading idle model {Victim} to make room for {Model}")]
    private partial void LogEvicting(string victim, string model);

    private sealed class Admission(ModelAdmission owner, string model) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(model);
            }
        }
    }
}
