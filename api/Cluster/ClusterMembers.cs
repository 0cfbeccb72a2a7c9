using Orleans.Runtime;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// The cluster's nodes as Orleans' membership sees them. A cluster node's silo name is its HTTP
/// URL, so peers can be reached over HTTP (their model stores, their loaded models).
/// </summary>
internal sealed class ClusterMembers(IClusterMembershipService membership, ILocalSiloDetails self)
{
    public SiloAddress Self => self.SiloAddress;

    /// <summary>Every node ever seen in this membership generation, newest status first.</summary>
    public IReadOnlyList<ClusterMember> All => [.. membership.CurrentSnapshot.Members.Values.OrderBy(member => member.Name, StringComparer.Ordinal)];

    /// <summary>The other nodes that are up, with their HTTP URLs.</summary>
    public IReadOnlyList<Uri> ActivePeers =>
        [.. All.Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(Self))
               .Select(member => Uri.TryCreate(member.Name, UriKind.Absolute, out var url) ? url : null)
               .OfType<Uri>()];

    /// <summary>How many nodes are up, this one included (1 for a node alone).</summary>
    public int ActiveCount => Math.Max(1, membership.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Active));

    /// <summary>A node's HTTP URL (its silo name), when it is a member that has one.</summary>
    public Uri? UrlOf(SiloAddress silo) =>
        membership.CurrentSnapshot.Members.TryGetValue(silo, out var member) && Uri.TryCreate(member.Name, UriKind.Absolute, out var url) ? url : null;

    public static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Created or SiloStatus.Joining => "joining",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "shutting_down",
        _ => "dead",
    };
}
