using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelRunner.Cli.Client;

/// <summary>
/// The CLI's connection to a ModelRunner server at <c>MODEL_RUNNER_HOST</c> (default
/// http://127.0.0.1:12434). A server that is not running is one clear message saying how to
/// start it; an error answer is its own message, whatever the API family's shape.
/// </summary>
internal sealed class ServerClient : IDisposable
{
    private readonly HttpClient _http;

    public ServerClient(Uri? address = null)
    {
        BaseAddress = address ?? Address();
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable("MODEL_RUNNER_API_KEY") is { Length: > 0 } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public Uri BaseAddress { get; }

    public static Uri Address()
    {
        var host = Environment.GetEnvironmentVariable("MODEL_RUNNER_HOST") is { Length: > 0 } value ? value : "http://127.0.0.1:12434";
        return new Uri(host.EndsWith('/') ? host : host + "/");
    }

    public async Task<JsonNode?> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        JsonNode.Parse(await SendTextAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false));

    public async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        JsonNode.Parse(await SendTextAsync(method, path, body, cancellationToken).ConfigureAwait(false) is { Length: > 0 } text ? text : "null");

    public async Task<string> SendTextAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(method, path, body, headers, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

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

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

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
            throw new ServerException($"ModelRunner is not running at {BaseAddress.GetLeftPart(UriPartial.Authority)}: start it with `modelrunner serve` (or set MODEL_RUNNER_HOST)");
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
