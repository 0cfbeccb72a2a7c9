namespace ModelRunner.Distribution.Registry;

/// <summary>
/// The credential sources. <see cref="Default"/> looks, in order, at:
/// <list type="number">
/// <item>environment variables <c>MODEL_RUNNER_REGISTRY_USERNAME</c> + <c>MODEL_RUNNER_REGISTRY_PASSWORD</c>, or
/// <c>MODEL_RUNNER_REGISTRY_TOKEN</c> (a bearer token), for the registry named by <c>MODEL_RUNNER_REGISTRY_HOST</c>
/// (default Docker Hub);</item>
/// <item>Docker's config file, <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>: its <c>auths</c> entries
/// (<c>auth</c> as base64 <c>user:password</c>, or <c>username</c>/<c>password</c>, or <c>registrytoken</c>). Credential
/// helpers (<c>credsStore</c>, <c>credHelpers</c>) and <c>identitytoken</c> are not run or used; a registry that then
/// refuses us gets an error saying so.</item>
/// </list>
/// </summary>
public static class RegistryCredentials
{
    /// <summary>The registry the environment credentials are for; default Docker Hub.</summary>
    public const string HostVariable = "MODEL_RUNNER_REGISTRY_HOST";

    /// <summary>The user name variable.</summary>
    public const string UsernameVariable = "MODEL_RUNNER_REGISTRY_USERNAME";

    /// <summary>The password (or access token) variable.</summary>
    public const string PasswordVariable = "MODEL_RUNNER_REGISTRY_PASSWORD";

    /// <summary>The bearer token variable.</summary>
    public const string TokenVariable = "MODEL_RUNNER_REGISTRY_TOKEN";

    /// <summary>No credentials: every registry is accessed anonymously.</summary>
    public static IRegistryCredentialProvider None { get; } = new CompositeCredentialProvider([]);

    /// <summary>Environment variables first, then Docker's config file.</summary>
    public static IRegistryCredentialProvider Default() => Combine(FromEnvironment(), FromDockerConfig());

    /// <summary>Credentials from <c>MODEL_RUNNER_REGISTRY_*</c>, read when asked (so a change is seen).</summary>
    public static IRegistryCredentialProvider FromEnvironment() => new EnvironmentCredentialProvider();

    /// <summary>Credentials from a Docker config file; <paramref name="path"/> defaults to <c>$DOCKER_CONFIG/config.json</c>
    /// or <c>~/.docker/config.json</c>. The file is read when asked; a missing file means no credentials.</summary>
    public static IRegistryCredentialProvider FromDockerConfig(string? path = null) => new DockerConfigCredentialProvider(path ?? DockerConfigCredentialProvider.DefaultPath());

    /// <summary>One credential for one registry.</summary>
    public static IRegistryCredentialProvider ForRegistry(string registry, RegistryCredential credential)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        ArgumentNullException.ThrowIfNull(credential);
        return new StaticCredentialProvider(RegistryHosts.Normalise(registry), credential);
    }

    /// <summary>The first credential any of <paramref name="providers"/> has, asked in order.</summary>
    public static IRegistryCredentialProvider Combine(params IRegistryCredentialProvider[] providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        return new CompositeCredentialProvider([.. providers]);
    }
}
