using System.Net;
using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// Maps a reference's registry to the URL its API is at: HTTPS, except plain HTTP for loopback hosts (localhost,
/// 127.0.0.0/8, ::1) and the hosts configured as insecure (<c>*</c> for all, like Docker Model Runner's
/// <c>INSECURE_REGISTRY=true</c>); Docker Hub's API is at <c>registry-1.docker.io</c>.
/// </summary>
internal sealed class RegistryEndpoints(IReadOnlyCollection<string> insecureRegistries)
{
    public RegistryTarget Resolve(ModelReference reference, Uri? mirror, RegistryCredential? credential)
    {
        if (reference.IsIdOnly)
        {
            throw new InvalidReferenceException($"'{reference}' is a model id; a registry needs a name such as ai/smollm2");
        }

        if (mirror is not null)
        {
            var baseUri = new Uri(mirror.GetLeftPart(UriPartial.Authority) + "/");
            return new RegistryTarget(mirror.Authority, baseUri, reference.Repository, credential);
        }

        var host = reference.IsDockerHub ? ModelReference.DockerHubEndpoint : reference.Registry;
        var scheme = IsPlainHttp(reference.Registry) ? "http" : "https";
        return new RegistryTarget(reference.Registry, new Uri($"{scheme}://{host}/"), reference.Repository, credential);
    }

    public bool IsPlainHttp(string registry)
    {
        if (insecureRegistries.Contains("*") || insecureRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.Contains(':', StringComparison.Ordinal) ? registry[..registry.LastIndexOf(':')]
            : registry;
        return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
