namespace ModelRunner.Distribution.Registry;

internal sealed class StaticCredentialProvider(string host, RegistryCredential credential) : IRegistryCredentialProvider
{
    public ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(RegistryHosts.Normalise(registry) == host ? credential : null);
}
