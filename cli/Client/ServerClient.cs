using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Configuration;

namespace ModelRunner.Cli.Client;

/// <summary>
/// The CLI's connection to a ModelRunner server: <c>MODEL_RUNNER_HOST</c>, else the context in use,
/// else the local runner (see <see cref="ServerEndpoint"/>). A server that is not running is one clear message saying how to
/// start it; an error answer is its own message, whatever the API family's shape.
/// </summary>
internal sealed class ServerClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="endpoint">Where to connect; null resolves it (<see cref="ServerEndpoint.Resolve"/>).</param>
    public ServerClient(ServerEndpoint? endpoint = null)
    {
        Endpoint = endpoint ?? ServerEndpoint.Resolve();
        _http = new HttpClient(Handler(Endpoint.Context)) { BaseAddress = Endpoint.Address, Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable("MODEL_RUNNER_API_KEY") is { Length: > 0 } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public ServerEndpoint Endpoint { get; }

    public Uri BaseAddress => Endpoint.Address;

    public async Task<JsonNode?> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        JsonNode.Parse(await SendTextAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false));

    public async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        JsonNode.Parse(await SendTextAsync(method, path, body, cancellationToken).ConfigureAwait(false) is { Length: > 0 } text ? text : "null");

    public async Task<string> SendTextAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(method, path, body, headers, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="content"/> (e.g. a streamed archive) and returns the answer's text.</summary>
    public async Task<string> SendContentAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A successful answer whose body the caller reads as a stream (and disposes).</summary>
    public Task<HttpResponseMessage> GetResponseAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, (HttpContent?)null, null, cancellationToken);

    /// <summary>The lines of a streamed answer (JSON lines, NDJSON, or SSE <c>data:</c> payloads), as they arrive.</summary>
    public async IAsyncEnumerable<string> StreamLinesAsync(HttpMethod method, string path, JsonNode? body, [EnumeratorCancellation] CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(method, path, body, headers, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return line[6..];
            }
            else if (line.Length > 0 && !line.StartsWith("event:", StringComparison.Ordinal) && !line.StartsWith(':'))
            {
                yield return line;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), headers, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException || exception.HttpRequestError == HttpRequestError.ConnectionError)
        {
            var where = Endpoint.Via is "default" or "runner" or "service" ? "" : $" ({Endpoint.Via})";
            throw new ServerException($"ModelRunner is not running at {BaseAddress.GetLeftPart(UriPartial.Authority)}{where}: start it with `modelrunner start-runner` or `modelrunner serve` (or set MODEL_RUNNER_HOST)");
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            throw new ServerException($"TLS connection to {BaseAddress.GetLeftPart(UriPartial.Authority)} ({Endpoint.Via}) failed: {exception.InnerException?.Message ?? exception.Message}");
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new ServerException(ErrorMessage(text, status), status);
        }

        return response;
    }

    /// <summary>
    /// TLS as the context says: the system's trust store by default, a private CA's certificate
    /// (<c>--tls-ca-cert</c>), or no verification at all (<c>--tls-skip-verify</c>).
    /// </summary>
    private static SocketsHttpHandler Handler(RunnerContext? context)
    {
        var handler = new SocketsHttpHandler();
        if (context is { TlsSkipVerify: true })
        {
#pragma warning disable CA5359 // The user asked for no verification (context create --tls-skip-verify).
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (context is { TlsCaCert: { } caPath })
        {
            var authority = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        return handler;
    }

    /// <summary>The message of an error answer in any family's shape (OpenAI, Anthropic, Ollama, DMR's plain text).</summary>
    private static string ErrorMessage(string text, int status)
    {
        try
        {
            var json = JsonNode.Parse(text);
            var message = json?["error"] switch
            {
                JsonValue value => value.GetValue<string>(),
                JsonObject error => error["message"]?.GetValue<string>(),
                _ => null,
            };
            if (message is not null)
            {
                return message;
            }
        }
        catch (JsonException)
        {
        }

        return text.Trim() is { Length: > 0 } plain ? plain : $"the server answered {status}";
    }
}
