using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using Orleans.Runtime.Placement;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Places a model grain on a node that holds the model's files, the one with the most free
/// memory among them: loading there needs no copy. Nodes are asked over HTTP
/// (<c>/engines/node/placement/{id}</c>, one second each, in parallel); this node answers for
/// itself. When no other node holds the files, the model loads here, where the request that
/// needs it arrived (the API fetched the files here first).
/// </summary>
internal sealed class ModelPlacementDirector(ClusterMembers members, IModelDistribution distribution, ModelAdmission admission, IHttpClientFactory clients) : IPlacementDirector
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

        var id = target.GrainIdentity.Key.ToString()!;
        var described = await Task.WhenAll(compatible.Select(async silo => (Silo: silo, Placement: await DescribeAsync(silo, id, context.LocalSilo).ConfigureAwait(false)))).ConfigureAwait(false);
        var best = described
            .Where(candidate => candidate.Placement is { HasModel: true })
            .OrderByDescending(candidate => candidate.Placement!.FreeBytes)
            .ThenBy(candidate => candidate.Silo.Equals(local) ? 0 : 1)
            .Select(candidate => candidate.Silo)
            .FirstOrDefault();
        return best ?? local;
    }

    /// <summary>This node's answer to its peers' directors.</summary>
    public NodePlacement Here(string id) =>
        new(distribution.Store.Find(id) is not null, admission.FreeMemory);

    private async Task<NodePlacement?> DescribeAsync(SiloAddress silo, string id, SiloAddress self)
    {
        if (silo.Equals(self))
        {
            return Here(id);
        }

        if (members.UrlOf(silo) is not { } url)
        {
            return null;
        }

        return await clients.TryGetAsync(url, $"/engines/node/placement/{Uri.EscapeDataString(id)}", ClusterJsonContext.Default.NodePlacement, AskTimeout, CancellationToken.None).ConfigureAwait(false);
    }
}
