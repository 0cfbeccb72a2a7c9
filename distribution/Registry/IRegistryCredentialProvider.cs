namespace ModelRunner.Distribution.Registry;

/// <summary>Finds the credentials for a registry. Implementations must be thread-safe.</summary>
public interface IRegistryCredentialProvider
{
    /// <summary>The credentials for <paramref name="registry"/> (a host with optional port, Docker Hub as
    /// <c>index.docker.io</c>), or null to go anonymous.</summary>
    ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default);
}
