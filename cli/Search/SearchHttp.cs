using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelRunner.Cli.Search;

/// <summary>GETs JSON from a catalogue's public API, turning every failure into one <see cref="SearchException"/> line.</summary>
internal static class SearchHttp
{
    public static async Task<JsonNode> GetJsonAsync(HttpClient http, Uri url, string source, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SearchException($"{source} could not be reached at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SearchException($"{source} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new SearchException($"{source} is rate-limiting searches; try again later");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SearchException($"{source} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            try
            {
                return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
                    ?? throw new SearchException($"{source} answered null");
            }
            catch (JsonException e)
            {
                throw new SearchException($"{source} answered something that is not JSON ({e.Message})", e);
            }
        }
    }

    /// <summary>A base URL from an environment variable, else <paramref name="fallback"/>; always ending in a slash.</summary>
    public static Uri BaseUrl(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : fallback;
        return Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new SearchException($"{variable}='{value}' is not an http(s) URL");
    }
}
