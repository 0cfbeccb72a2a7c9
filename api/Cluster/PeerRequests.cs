using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Api.Cluster;

/// <summary>
/// Asks a peer node's API for something small (its loaded models, its memory, whether it holds a
/// model). A peer that does not answer in time, or answers nonsense, counts as no answer: one slow
/// node never holds up a listing or a placement. Every node of a cluster shares its API key, so
/// the peers' client presents this node's.
/// </summary>
internal static class PeerRequests
{
    private const string ClientName = "peers";

    public static IServiceCollection AddPeerClient(this IServiceCollection services, string? apiKey)
    {
        services.AddHttpClient(ClientName, http =>
        {
            if (apiKey is { Length: > 0 })
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
        });
        return services;
    }

    public static HttpClient CreatePeerClient(this IHttpClientFactory clients) => clients.CreateClient(ClientName);

    public static async Task<T?> TryGetAsync<T>(this IHttpClientFactory clients, Uri peer, string path, JsonTypeInfo<T> type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await clients.CreatePeerClient().GetFromJsonAsync(new Uri(peer, path), type, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
        {
            return default;
        }
    }
}
