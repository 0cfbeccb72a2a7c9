using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Chooses the replica of a model that serves a request: the one with the fewest requests this
/// node has in flight on it, the lowest-numbered among equals. So replica 0 serves alone until
/// it is busy, and a model configured with <c>--replicas N</c> gains an activation on another
/// node only when load asks for it (the placement director keeps replicas on distinct nodes).
/// A node counts only its own requests: no call per request to learn the others'. Never more
/// replicas than active nodes; on a single node always replica 0. Thread-safe.
/// </summary>
internal sealed class ReplicaRouter(ModelSettingsStore settings, ClusterMembers members)
{
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    /// <summary>A replica for one request; dispose the lease when the request ends.</summary>
    public async Task<Lease> AcquireAsync(string modelId, CancellationToken cancellationToken)
    {
        var nodes = members.ActiveCount;
        var replicas = nodes <= 1 ? 1 : Math.Clamp((await settings.GetAsync(modelId, cancellationToken).ConfigureAwait(false)).Replicas ?? 1, 1, nodes);
        lock (_inFlight)
        {
            var key = Enumerable.Range(0, replicas)
                .Select(replica => ModelReplicas.Key(modelId, replica))
                .MinBy(key => _inFlight.GetValueOrDefault(key))!;
            _inFlight[key] = _inFlight.GetValueOrDefault(key) + 1;
            return new Lease(this, key);
        }
    }

    private void Release(string key)
    {
        lock (_inFlight)
        {
            if (--_inFlight[key] == 0)
            {
                _inFlight.Remove(key);
            }
        }
    }

    /// <summary>One request on one replica.</summary>
    internal sealed class Lease(ReplicaRouter router, string key) : IDisposable
    {
        private int _released;

        /// <summary>The model grain key of the replica (<see cref="ModelReplicas"/>).</summary>
        public string Key => key;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                router.Release(key);
            }
        }
    }
}
