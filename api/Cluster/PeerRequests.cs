using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Asks a peer node's API for something small (its loaded models, its memory, whether it holds a
/// model). A peer that does not answer in time, or answers nonsense, counts as no answer: one slow
/// node never holds up a listing or a placement.
/// </summary>
internal static class PeerRequests
{
    public static async Task<T?> TryGetAsync<T>(this IHttpClientFactory clients, Uri peer, string path, JsonTypeInfo<T> type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await clients.CreateClient().GetFromJsonAsync(new Uri(peer, path), type, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
        {
            return default;
        }
    }
}
