namespace ModelRunner.Distribution.Registry;

/// <summary>
/// Credentials for one registry: a user name and password (or access token used as a password), sent as Basic auth
/// or to the registry's token service; or a ready bearer token sent as is.
/// </summary>
public sealed record RegistryCredential
{
    /// <summary>The user name, for Basic auth or the token service.</summary>
    public string? Username { get; init; }

    /// <summary>The password or personal access token.</summary>
    public string? Password { get; init; }

    /// <summary>A bearer token to send directly, skipping the token service.</summary>
    public string? BearerToken { get; init; }

    /// <summary>A user name and password.</summary>
    public static RegistryCredential Basic(string username, string password) => new() { Username = username, Password = password };

    /// <summary>A ready bearer token.</summary>
    public static RegistryCredential Bearer(string token) => new() { BearerToken = token };

    /// <summary>Never prints the secrets.</summary>
    public override string ToString() => BearerToken is not null ? "bearer token" : $"user {Username}";
}
