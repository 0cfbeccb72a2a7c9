namespace ModelRunner.Distribution.Registry;

/// <summary>One <c>auths</c> entry of Docker's <c>config.json</c>.</summary>
internal sealed record DockerConfigAuth
{
    public string? Auth { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? IdentityToken { get; init; }

    public string? RegistryToken { get; init; }
}
