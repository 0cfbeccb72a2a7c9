using System.Text;
using System.Text.Json;

namespace ModelRunner.Distribution.Registry;

internal sealed class DockerConfigCredentialProvider(string path) : IRegistryCredentialProvider
{
    public static string DefaultPath() =>
        Path.Combine(
            Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } folder
                ? folder
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"),
            "config.json");

    public async ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        DockerConfigFile? config;
        try
        {
            await using var stream = File.OpenRead(path);
            config = await JsonSerializer.DeserializeAsync(stream, DistributionJsonContext.Default.DockerConfigFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new DistributionException($"the Docker config file {path} is not valid JSON ({e.Message})", e);
        }

        var host = RegistryHosts.Normalise(registry);
        foreach (var (key, auth) in config?.Auths ?? new Dictionary<string, DockerConfigAuth>())
        {
            if (RegistryHosts.Normalise(key) != host)
            {
                continue;
            }

            if (auth.RegistryToken is { Length: > 0 } token)
            {
                return RegistryCredential.Bearer(token);
            }

            if (auth.Username is { Length: > 0 } username && auth.Password is not null)
            {
                return RegistryCredential.Basic(username, auth.Password);
            }

            if (auth.Auth is { Length: > 0 } encoded)
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                }
                catch (FormatException e)
                {
                    throw new DistributionException($"the auth entry for {key} in {path} is not base64 of user:password", e);
                }

                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return RegistryCredential.Basic(decoded[..colon], decoded[(colon + 1)..]);
                }
            }
        }

        return null;
    }
}
