using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.HuggingFace;

/// <summary>
/// The two Hub endpoints a pull needs: the model API (<c>{endpoint}/api/models/{repo}/revision/{revision}?blobs=true</c>,
/// the file list with sizes and SHA-256s) and resolve URLs (<c>{endpoint}/{repo}/resolve/{revision}/{path}</c>, which
/// may redirect to a CDN; HttpClient drops the token on such redirects). The token, when set, is sent as a bearer
/// token, which gated and private repositories need. Thread-safe.
/// </summary>
internal sealed class HuggingFaceClient(HttpClient http, Uri endpoint, string? token, TransferSettings settings)
{
    private const int MaxInfoBytes = 16 * 1024 * 1024;

    public async Task<HubModelInfo> GetModelInfoAsync(string repository, string revision, Action<string> warn, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint, $"api/models/{Escape(repository)}/revision/{Uri.EscapeDataString(revision)}?blobs=true");
        return await Retry.RunAsync(async attempt =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(attempt);
            timeout.CancelAfter(settings.StallTimeout);
            using var response = await SendAsync(uri, 0, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Error(response, $"hf.co/{repository}");
            }

            if (response.Content.Headers.ContentLength > MaxInfoBytes)
            {
                throw new RegistryException($"the Hub's description of hf.co/{repository} is larger than {MaxInfoBytes} bytes");
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(DistributionJsonContext.Default.HubModelInfo, timeout.Token).ConfigureAwait(false)
                    ?? throw new RegistryException($"the Hub described hf.co/{repository} as null");
            }
            catch (JsonException e)
            {
                throw new RegistryException($"the Hub's description of hf.co/{repository} is not the JSON expected ({e.Message})", e);
            }
        }, settings, warn, $"fetching the file list of hf.co/{repository}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Requests a file from <paramref name="offset"/>; fits <see cref="RangeRequest"/>.</summary>
    public async Task<HttpResponseMessage> GetFileAsync(string repository, string revision, string path, long offset, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint, $"{Escape(repository)}/resolve/{Uri.EscapeDataString(revision)}/{Escape(path)}");
        var response = await SendAsync(uri, offset, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return response;
        }

        using (response)
        {
            throw Error(response, $"hf.co/{repository}/{path}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, long offset, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        return await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    private Exception Error(HttpResponseMessage response, string what) => response.StatusCode switch
    {
        HttpStatusCode.NotFound => new ModelNotFoundException($"{what} was not found on the Hugging Face Hub ({endpoint.Host})", remote: true),
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryAuthenticationException(token is null
            ? $"{what}: the Hub refused access ({(int)response.StatusCode}); the repository may be gated or private: set HF_TOKEN to a token with access"
            : $"{what}: the Hub refused the token in HF_TOKEN ({(int)response.StatusCode}); it may not have access to this repository"),
        HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => new TransientTransferException($"{what}: the Hub answered {(int)response.StatusCode}"),
        _ when (int)response.StatusCode >= 500 => new TransientTransferException($"{what}: the Hub answered {(int)response.StatusCode}"),
        _ => new RegistryException($"{what}: the Hub answered {(int)response.StatusCode}", (int)response.StatusCode, null),
    };

    // Each segment escaped on its own: the slashes between them are structure, not content.
    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
