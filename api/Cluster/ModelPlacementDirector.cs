using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;
using Orleans.Runtime.Placement;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Places a model grain (a replica of a model) on the node that suits it best: first one that
/// holds the model's files and has the memory for it (loading there needs no copy), else one with
/// the memory (its grain fetches the files from a peer), else one with the files; the most free
/// memory first among equals, this node before others. A node that already runs a replica of the
/// model comes last, so replicas land on distinct nodes. Nodes are asked over HTTP
/// (<c>/engines/node/placement/{key}</c>, one second each, in parallel); this node answers for
/// itself. With no node suitable the grain goes where the request arrived.
/// </summary>
internal sealed class ModelPlacementDirector(ClusterMembers members, IModelDistribution distribution, ModelAdmission admission, LoadedModels loaded, IHttpClientFactory clients) : IPlacementDirector
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var local = compatible.Contains(context.LocalSilo) ? context.LocalSilo : compatible[0];
        if (compatible.Length == 1)
        {
            return compatible[0];
        }

        var key = target.GrainIdentity.Key.ToString()!;
        var described = (await Task.WhenAll(compatible.Select(async silo => (Silo: silo, Placement: await DescribeAsync(silo, key, context.LocalSilo).ConfigureAwait(false)))).ConfigureAwait(false))
            .Where(candidate => candidate.Placement is not null)
            .Select(candidate => (candidate.Silo, Placement: candidate.Placement!))
            .ToList();
        var size = described.Select(candidate => candidate.Placement.ModelBytes).DefaultIfEmpty(0).Max();
        int Rank(NodePlacement node) => (node.HasModel, Fits: node.FreeBytes >= size) switch
        {
            (true, true) => 0,
            (false, true) => 1,
            (true, false) => 2,
            _ => 3,
        };

        var best = described
            .Where(candidate => Rank(candidate.Placement) < 3)
            .OrderBy(candidate => candidate.Placement.Loaded)
            .ThenBy(candidate => Rank(candidate.Placement))
            .ThenByDescending(candidate => candidate.Placement.FreeBytes)
            .ThenBy(candidate => candidate.Silo.Equals(local) ? 0 : 1)
            .Select(candidate => candidate.Silo)
            .FirstOrDefault();
        return best ?? local;
    }

    /// <summary>This node's answer to its peers' directors, for a model grain key.</summary>
    public NodePlacement Here(string key)
    {
        var id = ModelReplicas.ModelIdOf(key);
        var stored = distribution.Store.Find(id);
        return new(stored is not null, admission.FreeMemory, stored?.Size ?? 0, loaded.Find(id) is not null);
    }

    private async Task<NodePlacement?> DescribeAsync(SiloAddress silo, string key, SiloAddress self)
    {
        if (silo.Equals(self))
        {
            return Here(key);
        }

        if (members.UrlOf(silo) is not { } url)
        {
            return null;
        }

        return await clients.TryGetAsync(url, $"/engines/node/placement/{Uri.EscapeDataString(key)}", ClusterJsonContext.Default.NodePlacement, AskTimeout, CancellationToken.None).ConfigureAwait(false);
    }
}
