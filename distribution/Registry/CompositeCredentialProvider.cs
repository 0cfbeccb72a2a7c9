namespace ModelRunner.Distribution.Registry;

internal sealed class CompositeCredentialProvider(IReadOnlyList<IRegistryCredentialProvider> providers) : IRegistryCredentialProvider
{
    public async ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        foreach (var provider in providers)
        {
            if (await provider.GetCredentialAsync(registry, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }
}
