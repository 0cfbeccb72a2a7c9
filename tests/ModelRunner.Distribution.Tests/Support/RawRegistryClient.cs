using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>
/// Puts hand-made artifacts into an open registry with plain HTTP calls, for artifacts our packager does not make
/// (ModelPack models, container images, indexes).
/// </summary>
public sealed class RawRegistryClient(RegistryServer registry) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = registry.BaseUri };

    /// <summary>Uploads a blob in one POST + PUT and returns its digest.</summary>
    public async Task<string> PutBlobAsync(string repository, byte[] content)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        using var start = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(start.RequestMessage!.RequestUri!, start.Headers.Location!);
        var put = new UriBuilder(location) { Query = location.Query.TrimStart('?') + "&digest=" + Uri.EscapeDataString(digest) }.Uri;
        using var body = new ByteArrayContent(content);
        using var done = await _http.PutAsync(put, body);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        return digest;
    }

    /// <summary>Puts a manifest (or index) under a tag or digest and returns its digest.</summary>
    public async Task<string> PutManifestAsync(string repository, string reference, string json, string mediaType)
    {
        using var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.PutAsync($"v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"the registry refused the manifest: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public void Dispose() => _http.Dispose();
}
