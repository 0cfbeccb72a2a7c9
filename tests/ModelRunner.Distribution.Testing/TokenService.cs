using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ModelRunner.Distribution.Testing;

/// <summary>
/// A token service as Docker's token authentication specifies it, for a real registry configured with
/// <c>auth: token</c>: it issues RS256 JWTs (certificate in <c>x5c</c>, trusted by the registry through its root bundle).
/// Anonymous requests get pull access only, as Docker Hub gives for public repositories; the one configured user
/// gets what it asks for; wrong credentials get 401. Our test server, not a mock: the registry verifies every token.
/// </summary>
public sealed class TokenService : IAsyncDisposable
{
    public const string Service = "modelrunner-test-registry";
    public const string Issuer = "modelrunner-test-issuer";

    private readonly WebApplication _app;
    private readonly RSA _key;
    private readonly string _folder;
    private int _issued;

    private TokenService(WebApplication app, Uri baseUri, RSA key, string folder)
    {
        _app = app;
        _key = key;
        _folder = folder;
        Realm = new Uri(baseUri, "token").AbsoluteUri;
        CertificatePath = Path.Combine(folder, "root.pem");
    }

    public string Realm { get; }

    /// <summary>The PEM certificate bundle the registry trusts.</summary>
    public string CertificatePath { get; }

    public int TokensIssued => Volatile.Read(ref _issued);

    public static async Task<TokenService> StartAsync(string user, string password)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=modelrunner test token issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var der = certificate.Export(X509ContentType.Cert);
        var folder = Directory.CreateTempSubdirectory("modelrunner-token-").FullName;

        TokenService? service = null;
        var (app, baseUri) = await LoopbackHost.StartAsync(web => web.MapGet("/token", (HttpContext context) => service!.Issue(context, user, password, der))).ConfigureAwait(false);
        service = new TokenService(app, baseUri, key, folder);
        await File.WriteAllTextAsync(service.CertificatePath, certificate.ExportCertificatePem()).ConfigureAwait(false);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private IResult Issue(HttpContext context, string user, string password, byte[] certificate)
    {
        var authenticated = false;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
            if (pair != $"{user}:{password}")
            {
                return Results.Unauthorized();
            }

            authenticated = true;
        }

        var access = new JsonArray();
        foreach (var scope in context.Request.Query["scope"])
        {
            // repository:<name>:<actions>; the name itself may not hold a colon, the registry host is not part of it.
            var parts = scope!.Split(':');
            if (parts.Length != 3)
            {
                continue;
            }

            var actions = parts[2].Split(',').Where(a => authenticated || a == "pull").ToArray();
            access.Add(new JsonObject
            {
                ["type"] = parts[0],
                ["name"] = parts[1],
                ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]),
            });
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var head = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5c"] = new JsonArray(Convert.ToBase64String(certificate)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = authenticated ? user : "",
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(head))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Interlocked.Increment(ref _issued);
        var token = $"{signingInput}.{Base64Url(signature)}";
        return Results.Json(new JsonObject
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = 300,
            ["issued_at"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        });
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
