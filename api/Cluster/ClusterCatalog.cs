using System.Net;
using System.Net.Http.Json;
using ModelRunner.Api.Errors;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Store;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// The cluster's models: the union of every node's store, since any node can fetch a model from
/// the peer that holds it. Listing asks each active peer for its own store
/// (<c>/engines/node/models</c>, two seconds each, in parallel); removing a model removes it from
/// every store. On a single node both are just this node's store. Thread-safe.
/// </summary>
internal sealed class ClusterCatalog(ClusterMembers members, IModelDistribution distribution, LoadedModels loaded, PeerStatuses statuses, IHttpClientFactory clients)
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>This node's models first, then the ones only peers hold; a model in several stores once, with all its tags.</summary>
    public async Task<IReadOnlyList<ListedModel>> ListAsync(CancellationToken cancellationToken)
    {
        var peers = await Task.WhenAll(members.ActivePeers.Select(peer =>
            clients.TryGetAsync(peer, "/engines/node/models", ClusterJsonContext.Default.IReadOnlyListListedModel, PeerTimeout, cancellationToken))).ConfigureAwait(false);
        var merged = new Dictionary<string, ListedModel>(StringComparer.Ordinal);
        foreach (var model in distribution.Store.List().Select(ListedModel.From).Concat(peers.SelectMany(listed => listed ?? [])))
        {
            merged[model.Id] = merged.TryGetValue(model.Id, out var seen)
                ? seen with { Tags = [.. seen.Tags.Union(model.Tags, StringComparer.Ordinal)] }
                : model;
        }

        return [.. merged.Values];
    }

    /// <summary>
    /// Removes <paramref name="name"/> from every store that has it, this node's last. A model
    /// loaded anywhere is refused (409) unless <paramref name="force"/>, which unloads it first;
    /// each peer checks and unloads its own. Not found anywhere: 404.
    /// </summary>
    public async Task<RemoveResult> RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var here = distribution.Store.Find(name);
        if (here is not null && !force && (await statuses.EverywhereAsync(cancellationToken).ConfigureAwait(false)).Any(status => status.Id == here.Id))
        {
            throw Loaded(name);
        }

        var there = await Task.WhenAll(members.ActivePeers.Select(peer => RemoveAtAsync(peer, name, force, cancellationToken))).ConfigureAwait(false);
        if (here is not null)
        {
            if (loaded.Find(here.Id) is { } running)
            {
                await running.EvictAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            there = [distribution.Store.Remove(name, force), .. there];
        }

        var removed = there.OfType<RemoveResult>().ToList();
        return removed.Count == 0
            ? throw ApiException.NotFound($"model '{name}' not found")
            : new RemoveResult(
                [.. removed.SelectMany(result => result.Untagged).Distinct(StringComparer.Ordinal)],
                removed.Select(result => result.DeletedId).FirstOrDefault(id => id is not null));
    }

    /// <summary>This node's part of a cluster-wide remove (<c>DELETE /engines/node/models/{name}</c>).</summary>
    public async Task<RemoveResult> RemoveHereAsync(string name, bool force)
    {
        var model = distribution.Store.Find(name) ?? throw ApiException.NotFound($"model '{name}' not found");
        if (loaded.Find(model.Id) is { } running)
        {
            await (force ? running.EvictAsync() : throw Loaded(name)).ConfigureAwait(false);
        }

        return distribution.Store.Remove(name, force);
    }

    public static ApiException Loaded(string name) =>
        new(new ApiError(409, ApiErrorKind.Conflict, $"model '{name}' is loaded; unload it first, or delete with force"));

    /// <summary>A peer's part: what it removed, null when it did not have the model or could not be reached (it keeps its copy; the next rm removes it).</summary>
    private async Task<RemoveResult?> RemoveAtAsync(Uri peer, string name, bool force, CancellationToken cancellationToken)
    {
        var path = $"/engines/node/models/{Uri.EscapeDataString(name)}" + (force ? "?force=true" : "");
        HttpResponseMessage response;
        try
        {
            response = await clients.CreatePeerClient().DeleteAsync(new Uri(peer, path), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        using (response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.OK => await response.Content.ReadFromJsonAsync(ClusterJsonContext.Default.RemoveResult, cancellationToken).ConfigureAwait(false),
                HttpStatusCode.Conflict => throw Loaded(name),
                _ => null,
            };
        }
    }
}
