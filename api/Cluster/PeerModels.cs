using Microsoft.Extensions.Logging;
using ModelRunner.Distribution;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Finds a model this node lacks in a peer's store and fetches it from the peer's read-only
/// registry (<c>/v2</c>) with the ordinary resumable, digest-verifying pull, before anything
/// would go to the model's origin registry. Thread-safe.
/// </summary>
internal sealed partial class PeerModels(ClusterMembers members, IModelDistribution distribution, IHttpClientFactory clients, ILogger<PeerModels> logger) : IModelFetcher
{
    /// <summary>
    /// For a model grain placed here without the files: the model by id, fetched by a name a peer
    /// lists it under (a model without any tag cannot be named to a registry, and stays where it is).
    /// </summary>
    async Task<LocalModel?> IModelFetcher.FetchAsync(string modelId, CancellationToken cancellationToken)
    {
        foreach (var peer in members.ActivePeers)
        {
            var listed = await clients.TryGetAsync(peer, "/engines/node/models", ClusterJsonContext.Default.IReadOnlyListListedModel, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            if (listed?.FirstOrDefault(model => model.Id == modelId && model.Tags.Count > 0) is { } found
                && await FetchAsync(found.Tags[0], cancellationToken).ConfigureAwait(false) is { } fetched
                && fetched.Id == modelId)
            {
                return fetched;
            }
        }

        return null;
    }

    /// <summary>Fetches <paramref name="name"/> from the first peer that has it; null when none has.</summary>
    public async Task<LocalModel?> FetchAsync(string name, CancellationToken cancellationToken)
    {
        if (!ModelReference.TryParse(name, out var wanted, out _) || wanted.IsIdOnly || wanted.IsHuggingFace)
        {
            return null;
        }

        foreach (var peer in members.ActivePeers)
        {
            var fromPeer = $"{peer.Authority}/{RepositoryOf(wanted)}" + (wanted.Digest is { } digest ? $"@{digest}" : $":{wanted.Tag}");
            try
            {
                await foreach (var _ in distribution.PullAsync(fromPeer, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                }
            }
            catch (ModelNotFoundException)
            {
                continue;
            }
            catch (DistributionException exception)
            {
                LogPeerFailed(peer, name, exception.Message);
                continue;
            }

            // Known here by its own name, as on the peer; the peer-qualified tag goes.
            distribution.Store.Tag(fromPeer, wanted.ToString());
            distribution.Store.Remove(fromPeer);
            LogFetched(name, peer);
            return distribution.Store.Get(wanted.ToString());
        }

        return null;
    }

    /// <summary>The familiar name without tag or digest (<c>ai/smollm2</c>, <c>registry.example/me/model</c>): the peer's store resolves it as its own.</summary>
    private static string RepositoryOf(ModelReference reference)
    {
        var familiar = reference.FamiliarName;
        var at = familiar.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return familiar[..at];
        }

        var colon = familiar.LastIndexOf(':');
        return colon > familiar.LastIndexOf('/') ? familiar[..colon] : familiar;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched model {Model} from peer {Peer}")]
    private partial void LogFetched(string model, Uri peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} could not give model {Model}: {Reason}")]
    private partial void LogPeerFailed(Uri peer, string model, string reason);
}
