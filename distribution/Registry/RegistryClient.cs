using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// The OCI distribution API (<c>/v2/</c>) over one shared HttpClient: manifests with content negotiation, blobs with
/// <c>Range</c>, existence checks, cross-repository mounts, monolithic and chunked uploads. Every request goes
/// through <see cref="RegistryAuthenticator"/>; answers that are errors become typed exceptions, transient ones
/// (5xx, 429, 408) a <see cref="TransientTransferException"/> for the caller's retry loop. Thread-safe.
/// </summary>
internal sealed class RegistryClient(HttpClient http, RegistryAuthenticator authenticator, TransferSettings settings)
{
    private static readonly string[] ManifestTypes =
        [ModelMediaTypes.OciManifest, ModelMediaTypes.OciIndex, ModelMediaTypes.DockerManifest, ModelMediaTypes.DockerManifestList];

    // Error bodies are read for their message only; a hostile server cannot make us buffer more.
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// Fetches a manifest by tag or digest, verifies its digest (against the one asked for and the registry's
    /// <c>Docker-Content-Digest</c>), and when it is an index follows it to the model manifest it lists.
    /// </summary>
    public async Task<FetchedManifest> GetManifestAsync(RegistryTarget target, string reference, Action<string>? warn, CancellationToken cancellationToken)
    {
        var fetched = await FetchManifestAsync(target, reference, warn, cancellationToken).ConfigureAwait(false);
        if (fetched.MediaType is not (ModelMediaTypes.OciIndex or ModelMediaTypes.DockerManifestList))
        {
            return fetched;
        }

        var index = JsonSerializer.Deserialize(fetched.Content, DistributionJsonContext.Default.OciIndex);
        var entries = index?.Manifests ?? [];

        // Models carry no platform; an index of images does. Prefer an entry without one, as a model would be.
        var chosen = entries.FirstOrDefault(e => e.Platform is null && e.MediaType is ModelMediaTypes.OciManifest or ModelMediaTypes.DockerManifest)
            ?? entries.FirstOrDefault(e => e.MediaType is ModelMediaTypes.OciManifest or ModelMediaTypes.DockerManifest)
            ?? throw new UnsupportedArtifactException($"{target.Registry}/{target.Repository}:{reference} is an index without an image manifest");
        if (!OciDigest.TryParse(chosen.Digest, out var digest, out var problem))
        {
            throw new UnsupportedArtifactException($"{target.Registry}/{target.Repository}:{reference}: index entry: {problem}");
        }

        var manifest = await FetchManifestAsync(target, digest.ToString(), warn, cancellationToken).ConfigureAwait(false);
        return manifest.MediaType is ModelMediaTypes.OciIndex or ModelMediaTypes.DockerManifestList
            ? throw new UnsupportedArtifactException($"{target.Registry}/{target.Repository}:{reference} is an index of indexes, which no model is")
            : manifest;
    }

    /// <summary>Requests a blob from <paramref name="offset"/>; fits <see cref="RangeRequest"/>.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(RegistryTarget target, OciDigest digest, long offset, CancellationToken cancellationToken)
    {
        var uri = target.Blob(digest.ToString());
        var response = await SendAsync(target, [target.Scope(push: false)], () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            return request;
        }, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, $"blob {digest} of {target.Registry}/{target.Repository}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Does the repository have the blob already?</summary>
    public async Task<bool> BlobExistsAsync(RegistryTarget target, OciDigest digest, CancellationToken cancellationToken)
    {
        var uri = target.Blob(digest.ToString());
        using var response = await SendAsync(target, [target.Scope(push: true)], () => new HttpRequestMessage(HttpMethod.Head, uri), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        return response.IsSuccessStatusCode
            ? true
            : throw await ErrorAsync(response, $"checking blob {digest} on {target.Registry}/{target.Repository}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the registry to link a blob it already has in <paramref name="fromRepository"/> into the target repository.
    /// Returns true when it did; false when it started an ordinary upload instead (which is then abandoned).
    /// </summary>
    public async Task<bool> TryMountAsync(RegistryTarget target, OciDigest digest, string fromRepository, CancellationToken cancellationToken)
    {
        var uri = target.Uploads($"?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}");
        string[] scopes = [target.Scope(push: true), $"repository:{fromRepository}:pull"];
        using var response = await SendAsync(target, scopes, () => new HttpRequestMessage(HttpMethod.Post, uri), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.Accepted => false,
            _ => throw await ErrorAsync(response, $"mounting blob {digest} from {fromRepository}", cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Uploads a blob from a file: in one PUT when <paramref name="chunkSize"/> is 0 or the blob fits in one chunk,
    /// else as PATCH chunks and a closing PUT. <paramref name="progress"/> gets the bytes sent so far.
    /// </summary>
    public async Task UploadAsync(RegistryTarget target, OciDigest digest, string path, long size, long chunkSize, Action<long> progress, CancellationToken cancellationToken)
    {
        string[] scopes = [target.Scope(push: true)];
        var location = await StartUploadAsync(target, scopes, cancellationToken).ConfigureAwait(false);
        var what = $"uploading blob {digest} to {target.Registry}/{target.Repository}";
        if (chunkSize <= 0 || size <= chunkSize)
        {
            var put = WithDigest(location, digest);
            using var done = await SendAsync(target, scopes, () => new HttpRequestMessage(HttpMethod.Put, put) { Content = new FileRangeContent(path, 0, size, progress) },
                HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            await ExpectAsync(done, HttpStatusCode.Created, what, cancellationToken).ConfigureAwait(false);
            return;
        }

        for (long start = 0; start < size; start += chunkSize)
        {
            var length = Math.Min(chunkSize, size - start);
            var chunkStart = start;
            var patch = location;
            using var response = await SendAsync(target, scopes, () =>
            {
                var content = new FileRangeContent(path, chunkStart, length, progress);

                // The OCI spec's Content-Range for chunks is "start-end" without a unit.
                content.Headers.TryAddWithoutValidation("Content-Range", $"{chunkStart}-{chunkStart + length - 1}");
                return new HttpRequestMessage(HttpMethod.Patch, patch) { Content = content };
            }, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            await ExpectAsync(response, HttpStatusCode.Accepted, what, cancellationToken).ConfigureAwait(false);
            location = Location(response) ?? location;
        }

        var close = WithDigest(location, digest);
        using var closed = await SendAsync(target, scopes, () => new HttpRequestMessage(HttpMethod.Put, close) { Content = new ByteArrayContent([]) },
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(closed, HttpStatusCode.Created, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts a manifest under a tag (or digest) and checks the digest the registry computed.</summary>
    public async Task PutManifestAsync(RegistryTarget target, string reference, ReadOnlyMemory<byte> manifest, string mediaType, CancellationToken cancellationToken)
    {
        var uri = target.Manifest(reference);
        using var response = await SendAsync(target, [target.Scope(push: true)], () =>
        {
            var content = new ReadOnlyMemoryContent(manifest);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
        }, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(response, HttpStatusCode.Created, $"putting the manifest {target.Registry}/{target.Repository}:{reference}", cancellationToken).ConfigureAwait(false);
        var expected = OciDigest.Compute(manifest.Span).ToString();
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } answered && answered != expected)
        {
            throw new DigestMismatchException($"{target.Registry} stored the manifest as {answered}, but it is {expected}");
        }
    }

    private async Task<FetchedManifest> FetchManifestAsync(RegistryTarget target, string reference, Action<string>? warn, CancellationToken cancellationToken)
    {
        var uri = target.Manifest(reference);
        var what = $"{target.Registry}/{target.Repository}{(reference.StartsWith(OciDigest.Sha256Prefix, StringComparison.Ordinal) ? "@" : ":")}{reference}";
        var fetched = await Retry.RunAsync(async attempt =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(attempt);
            timeout.CancelAfter(settings.StallTimeout);
            using var response = await SendAsync(target, [target.Scope(push: false)], () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                foreach (var type in ManifestTypes)
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                }

                return request;
            }, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorAsync(response, $"manifest {what}", timeout.Token).ConfigureAwait(false);
            }

            if (response.Content.Headers.ContentLength > ModelArtifact.MaxManifestBytes)
            {
                throw new UnsupportedArtifactException($"{what}: the manifest is {response.Content.Headers.ContentLength} bytes; at most {ModelArtifact.MaxManifestBytes} are accepted");
            }

            var content = await ReadLimitedAsync(response.Content, ModelArtifact.MaxManifestBytes, timeout.Token).ConfigureAwait(false)
                ?? throw new UnsupportedArtifactException($"{what}: the manifest is larger than {ModelArtifact.MaxManifestBytes} bytes");
            var digestHeader = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? ModelMediaTypes.OciManifest;
            return (content, mediaType, digestHeader);
        }, settings, warn, $"fetching {what}", cancellationToken).ConfigureAwait(false);

        var digest = OciDigest.Compute(fetched.content);
        if (reference.StartsWith(OciDigest.Sha256Prefix, StringComparison.Ordinal) && reference != digest.ToString())
        {
            throw new DigestMismatchException($"{what}: the registry sent a manifest whose digest is {digest}");
        }

        if (fetched.digestHeader is { } header && header != digest.ToString())
        {
            throw new DigestMismatchException($"{what}: the registry says the manifest is {header}, but the bytes received hash to {digest}");
        }

        return new FetchedManifest(fetched.content, fetched.mediaType, digest);
    }

    private async Task<Uri> StartUploadAsync(RegistryTarget target, string[] scopes, CancellationToken cancellationToken)
    {
        var uri = target.Uploads();
        using var response = await SendAsync(target, scopes, () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) },
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(response, HttpStatusCode.Accepted, $"starting an upload to {target.Registry}/{target.Repository}", cancellationToken).ConfigureAwait(false);
        return Location(response) ?? throw new RegistryException($"{target.Registry} started an upload without saying where to send it (no Location header)");
    }

    /// <summary>
    /// Sends a request built by <paramref name="create"/> (called again for the retry, since a sent request cannot be
    /// re-sent), answering one authentication challenge. A second 401 means the credentials are refused.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        RegistryTarget target, IReadOnlyList<string> scopes, Func<HttpRequestMessage> create, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = create();
            HttpResponseMessage response;
            try
            {
                request.Headers.Authorization = await authenticator.HeaderAsync(target, scopes, renew: attempt > 0, cancellationToken).ConfigureAwait(false);
                response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                request.Dispose();
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            using (response)
            {
                if (attempt > 0 || !authenticator.Learn(target, response))
                {
                    throw await ErrorAsync(response, $"{target.Registry}/{target.Repository}", cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            throw await ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The typed exception for an error answer, with the registry's own error code and message when it sent them.</summary>
    internal static async Task<Exception> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? code = null, detail = null;
        try
        {
            var body = await ReadLimitedAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            if (body is { Length: > 0 })
            {
                var errors = JsonSerializer.Deserialize(body, DistributionJsonContext.Default.RegistryErrorResponse)?.Errors;
                code = errors is { Count: > 0 } ? errors[0].Code : null;
                detail = errors is { Count: > 0 } ? errors[0].Message : null;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            // The status says enough.
        }

        var said = code is null ? $"{status}" : $"{status} {code}{(detail is null ? "" : ": " + detail)}";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new ModelNotFoundException($"{what} was not found ({said})", remote: true),
            HttpStatusCode.Unauthorized => new RegistryAuthenticationException($"{what}: access refused ({said}); check the credentials. {RegistryAuthenticator.WhereCredentialsComeFrom}"),
            HttpStatusCode.Forbidden => new RegistryAuthenticationException($"{what}: access denied ({said}); the credentials do not allow this"),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => new TransientTransferException($"{what}: the registry answered {said}"),
            _ when status >= 500 => new TransientTransferException($"{what}: the registry answered {said}"),
            _ => new RegistryException($"{what}: the registry answered {said}", status, code),
        };
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static Uri? Location(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? new Uri(response.RequestMessage!.RequestUri!, location) : null;

    private static Uri WithDigest(Uri location, OciDigest digest)
    {
        var builder = new UriBuilder(location);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + "digest=" + Uri.EscapeDataString(digest.ToString());
        return builder.Uri;
    }
}
