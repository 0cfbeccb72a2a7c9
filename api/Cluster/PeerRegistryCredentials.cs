using ModelRunner.Distribution.Registry;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// The cluster's API key as the bearer token for a peer node's registry (<c>/v2</c> sits behind
/// the key like every other route, and every node of a cluster shares it). Any other registry
/// gets nothing here, so its own credentials apply. Thread-safe.
/// </summary>
internal sealed class PeerRegistryCredentials(ClusterMembers members, string apiKey) : IRegistryCredentialProvider
{
    private readonly RegistryCredential _key = RegistryCredential.Bearer(apiKey);

    public ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(members.ActivePeers.Any(peer => string.Equals(peer.Authority, registry, StringComparison.OrdinalIgnoreCase)) ? _key : null);
}
