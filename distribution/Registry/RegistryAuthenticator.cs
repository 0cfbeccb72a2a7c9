using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// Answers registries' <c>WWW-Authenticate</c> challenges. Requests go out anonymously until a registry challenges;
/// then a Basic challenge gets the configured user name and password, and a Bearer challenge gets a token from the
/// realm it names (anonymously when there are no credentials, as Docker Hub allows for public repositories), cached
/// per registry and scope until it expires. A configured bearer token is sent as is. Thread-safe.
/// </summary>
internal sealed class RegistryAuthenticator(HttpClient http, IRegistryCredentialProvider credentials, TransferSettings settings)
{
    // Docker's token spec: a token without expires_in lives 60 seconds. Renew a little early.
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    /// <summary>Records the challenge a registry answered with; false when it is not one we can answer.</summary>
    public bool Learn(RegistryTarget target, HttpResponseMessage unauthorized)
    {
        if (AuthChallenge.From(unauthorized.Headers) is not { } challenge)
        {
            return false;
        }

        _challenges[target.BaseUri.Authority] = challenge;
        return true;
    }

    /// <summary>The Authorization header for a request, or null to go anonymous (the registry has not challenged yet).</summary>
    /// <param name="renew">Ignore a cached token: the registry refused it.</param>
    public async ValueTask<AuthenticationHeaderValue?> HeaderAsync(RegistryTarget target, IReadOnlyList<string> scopes, bool renew, CancellationToken cancellationToken)
    {
        var credential = target.Credential ?? await credentials.GetCredentialAsync(target.Registry, cancellationToken).ConfigureAwait(false);
        if (credential?.BearerToken is { } bearer)
        {
            return new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (!_challenges.TryGetValue(target.BaseUri.Authority, out var challenge))
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            if (credential?.Username is null)
            {
                throw new RegistryAuthenticationException($"{target.Registry} requires a user name and password, and none is configured for it. {WhereCredentialsComeFrom}");
            }

            return Basic(credential);
        }

        var key = $"{target.BaseUri.Authority} {string.Join(' ', scopes)}";
        if (!renew && _tokens.TryGetValue(key, out var cached) && cached.Expires - RenewBefore > settings.Time.GetUtcNow())
        {
            return new AuthenticationHeaderValue("Bearer", cached.Token);
        }

        var token = await FetchTokenAsync(target, challenge, scopes, credential, cancellationToken).ConfigureAwait(false);
        _tokens[key] = token;
        return new AuthenticationHeaderValue("Bearer", token.Token);
    }

    public const string WhereCredentialsComeFrom =
        "Credentials come from MODEL_RUNNER_REGISTRY_USERNAME and MODEL_RUNNER_REGISTRY_PASSWORD (for the registry in MODEL_RUNNER_REGISTRY_HOST, default Docker Hub) or the auths of ~/.docker/config.json.";

    private async Task<(string Token, DateTimeOffset Expires)> FetchTokenAsync(
        RegistryTarget target, AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        if (challenge.Service is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        foreach (var scope in scopes)
        {
            query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        }

        var realm = challenge.Realm!;
        var uri = new Uri(realm + (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new RegistryAuthenticationException($"{target.Registry} names token service '{realm}', which is not an http(s) URL");
        }

        var who = credential?.Username is { } user ? $"user '{user}'" : "anonymous access";
        return await Retry.RunAsync(async attempt =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (credential?.Username is not null)
            {
                request.Headers.Authorization = Basic(credential);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new RegistryAuthenticationException(credential?.Username is null
                    ? $"{target.Registry} requires credentials for {string.Join(", ", scopes)}, and none is configured for it. {WhereCredentialsComeFrom}"
                    : $"{target.Registry} refused {who} for {string.Join(", ", scopes)}: wrong user name or password, or no access. {WhereCredentialsComeFrom}");
            }

            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new TransientTransferException($"the token service of {target.Registry} answered {(int)response.StatusCode}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException($"the token service of {target.Registry} answered {(int)response.StatusCode} for {who}", (int)response.StatusCode, null);
            }

            TokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(DistributionJsonContext.Default.TokenResponse, attempt).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new RegistryException($"the token service of {target.Registry} answered something that is not a token ({e.Message})", e);
            }

            var token = body?.Token ?? body?.AccessToken;
            if (string.IsNullOrEmpty(token))
            {
                throw new RegistryException($"the token service of {target.Registry} answered without a token");
            }

            var lifetime = body!.ExpiresIn is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
            return (token, settings.Time.GetUtcNow() + lifetime);
        }, settings, null, $"getting a token from {target.Registry}", cancellationToken).ConfigureAwait(false);
    }

    private static AuthenticationHeaderValue Basic(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
}
