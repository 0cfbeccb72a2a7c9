using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Registry;

internal sealed class EnvironmentCredentialProvider : IRegistryCredentialProvider
{
    public ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        var host = RegistryHosts.Normalise(Environment.GetEnvironmentVariable(RegistryCredentials.HostVariable) is { Length: > 0 } configured ? configured : ModelReference.DockerHubRegistry);
        if (RegistryHosts.Normalise(registry) != host)
        {
            return ValueTask.FromResult<RegistryCredential?>(null);
        }

        if (Environment.GetEnvironmentVariable(RegistryCredentials.TokenVariable) is { Length: > 0 } token)
        {
            return ValueTask.FromResult<RegistryCredential?>(RegistryCredential.Bearer(token));
        }

        var username = Environment.GetEnvironmentVariable(RegistryCredentials.UsernameVariable);
        var password = Environment.GetEnvironmentVariable(RegistryCredentials.PasswordVariable);
        return ValueTask.FromResult(username is { Length: > 0 } && password is not null ? RegistryCredential.Basic(username, password) : null);
    }
}
