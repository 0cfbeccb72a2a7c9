using System.Collections.Concurrent;

namespace ModelRunner.Silo.Cluster;

/// <summary>The single-node directory: a concurrent dictionary, lost when the process ends.</summary>
internal sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _entries = new();

    public Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Task.FromResult(_entries.GetOrAdd(address.GrainId, address));
    }

    public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(grainId, out var address) ? address : null);

    public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        _entries.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, address));
        return Task.CompletedTask;
    }
}
