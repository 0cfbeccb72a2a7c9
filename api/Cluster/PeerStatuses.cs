using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// The models loaded anywhere in the cluster: this node's from its registry, every other active
/// node's from its <c>/engines/node/loaded</c>, each entry naming its node. A peer that does not
/// answer within two seconds is left out rather than holding up the answer. Thread-safe.
/// </summary>
internal sealed class PeerStatuses(ClusterMembers members, LoadedModels loaded, IHttpClientFactory clients)
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<ModelStatus>> EverywhereAsync(CancellationToken cancellationToken)
    {
        var peers = await Task.WhenAll(members.ActivePeers.Select(peer => PeerAsync(peer, cancellationToken))).ConfigureAwait(false);
        return [.. loaded.Statuses(), .. peers.SelectMany(statuses => statuses)];
    }

    private async Task<IReadOnlyList<ModelStatus>> PeerAsync(Uri peer, CancellationToken cancellationToken) =>
        await clients.TryGetAsync(peer, "/engines/node/loaded", ClusterJsonContext.Default.IReadOnlyListModelStatus, PeerTimeout, cancellationToken).ConfigureAwait(false) ?? [];
}
