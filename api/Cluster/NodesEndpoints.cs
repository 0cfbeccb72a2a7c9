using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// <c>GET /engines/nodes</c>: every node of the cluster with its status, and for the nodes that
/// are up their loaded models and memory (each asked over HTTP for its own, <c>/engines/node</c>);
/// and the node-local routes behind the cluster's placement, ps, ls and rm.
/// </summary>
internal static class NodesEndpoints
{
    public static void MapNodesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/engines/node", (ClusterMembers members, LoadedModels loaded, ModelAdmission admission) =>
            Results.Json(Self(members, loaded, admission), ClusterJsonContext.Default.ClusterNode));
        endpoints.MapGet("/engines/nodes", ListAsync);
        // What ps shows of this node, for its peers' ps.
        endpoints.MapGet("/engines/node/placement/{id}", (string id, ModelPlacementDirector director) =>
            Results.Json(director.Here(Uri.UnescapeDataString(id)), ClusterJsonContext.Default.NodePlacement));
        endpoints.MapGet("/engines/node/loaded", (LoadedModels loaded) =>
            Results.Json(loaded.Statuses(), ClusterJsonContext.Default.IReadOnlyListModelStatus));
        // This node's store alone, for the cluster-wide ls and rm (ClusterCatalog).
        endpoints.MapGet("/engines/node/models", (IModelDistribution distribution) =>
            Results.Json<IReadOnlyList<ListedModel>>([.. distribution.Store.List().Select(ListedModel.From)], ClusterJsonContext.Default.IReadOnlyListListedModel));
        endpoints.MapDelete("/engines/node/models/{**name}", async (string name, HttpContext context, ClusterCatalog catalog) =>
            Results.Json(await catalog.RemoveHereAsync(Uri.UnescapeDataString(name), context.Request.Query["force"] == "true").ConfigureAwait(false), ClusterJsonContext.Default.RemoveResult));
    }

    private static async Task<IResult> ListAsync(ClusterMembers members, LoadedModels loaded, ModelAdmission admission, IHttpClientFactory clients, HttpContext context)
    {
        var nodes = await Task.WhenAll(members.All.Select(async member =>
        {
            var url = Uri.TryCreate(member.Name, UriKind.Absolute, out var parsed) ? parsed : null;
            var status = ClusterMembers.StatusName(member.Status);
            if (member.SiloAddress.Equals(members.Self))
            {
                return Self(members, loaded, admission) with { Status = status };
            }

            var unknown = new ClusterNode(member.Name, member.SiloAddress.ToParsableString(), url?.ToString(), status, false, null, null, null);
            if (url is null || status != "active")
            {
                return unknown;
            }

            var described = await clients.TryGetAsync(url, "/engines/node", ClusterJsonContext.Default.ClusterNode, TimeSpan.FromSeconds(2), context.RequestAborted).ConfigureAwait(false);
            return described is null ? unknown : described with { Status = status, Self = false };
        })).ConfigureAwait(false);
        return Results.Json<IReadOnlyList<ClusterNode>>(nodes, ClusterJsonContext.Default.IReadOnlyListClusterNode);
    }

    private static ClusterNode Self(ClusterMembers members, LoadedModels loaded, ModelAdmission admission)
    {
        var self = members.All.FirstOrDefault(member => member.SiloAddress.Equals(members.Self));
        var name = self?.Name ?? Environment.MachineName;
        return new ClusterNode(
            name,
            members.Self.ToParsableString(),
            Uri.TryCreate(name, UriKind.Absolute, out var url) ? url.ToString() : null,
            self is null ? "active" : ClusterMembers.StatusName(self.Status),
            true,
            [.. loaded.Statuses().Select(status => status.Tags.Count > 0 ? status.Tags[0] : status.Id)],
            admission.MemoryBudget,
            admission.FreeMemory);
    }
}
