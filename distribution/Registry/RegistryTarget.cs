namespace ModelRunner.Distribution.Registry;

/// <summary>One repository on one registry, as requests address it.</summary>
/// <param name="Registry">The registry's name for messages and credentials (<c>index.docker.io</c>, <c>localhost:5000</c>).</param>
/// <param name="BaseUri">Where its API is (<c>https://registry-1.docker.io/</c>), ending in a slash.</param>
/// <param name="Repository">The repository path, e.g. <c>ai/smollm2</c>.</param>
/// <param name="Credential">Credentials given for this operation, which take precedence over the providers.</param>
internal sealed record RegistryTarget(string Registry, Uri BaseUri, string Repository, RegistryCredential? Credential)
{
    public Uri Manifest(string reference) => new(BaseUri, $"v2/{Repository}/manifests/{reference}");

    public Uri Blob(string digest) => new(BaseUri, $"v2/{Repository}/blobs/{digest}");

    public Uri Uploads(string query = "") => new(BaseUri, $"v2/{Repository}/blobs/uploads/{query}");

    /// <summary>The scope to ask a token service for: pull, or pull and push.</summary>
    public string Scope(bool push) => $"repository:{Repository}:{(push ? "pull,push" : "pull")}";
}
