namespace ModelRunner.Distribution.Registry;

/// <summary>
/// A registry or the Hub refused access: no credentials where they are required, wrong credentials, or not
/// allowed to do this (e.g. push to someone else's repository). The message names the registry and says where
/// credentials come from. HTTP callers answer 401.
/// </summary>
public sealed class RegistryAuthenticationException : DistributionException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public RegistryAuthenticationException()
        : base("The registry refused access.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public RegistryAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public RegistryAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
