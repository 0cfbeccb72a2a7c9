namespace ModelRunner.Distribution.Registry;

/// <summary>Per-pull choices.</summary>
public sealed record PullOptions
{
    /// <summary>
    /// Fetch from this registry instead of the one the reference names (e.g. a cluster peer serving its store at
    /// <c>http://peer:12434/v2/</c>), keeping the reference's name for the tag. Null (default) uses the named registry.
    /// </summary>
    public Uri? Mirror { get; init; }

    /// <summary>Credentials for this pull, before any configured ones (e.g. a token a client sent to the API). Default none.</summary>
    public RegistryCredential? Credential { get; init; }
}
