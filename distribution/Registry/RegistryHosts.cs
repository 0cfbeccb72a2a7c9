using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Registry;

/// <summary>Registry host names as credential keys: Docker's config writes Docker Hub as <c>https://index.docker.io/v1/</c>.</summary>
internal static class RegistryHosts
{
    public static string Normalise(string registry)
    {
        var host = registry.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        host = host.ToLowerInvariant();
        return host is "docker.io" or "registry-1.docker.io" or ModelReference.DockerHubRegistry ? ModelReference.DockerHubRegistry : host;
    }
}
