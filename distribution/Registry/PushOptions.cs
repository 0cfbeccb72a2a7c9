namespace ModelRunner.Distribution.Registry;

/// <summary>Per-push choices.</summary>
public sealed record PushOptions
{
    /// <summary>Credentials for this push, before any configured ones. Default none.</summary>
    public RegistryCredential? Credential { get; init; }
}
