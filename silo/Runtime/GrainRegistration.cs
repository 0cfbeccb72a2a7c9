namespace ModelRunner.Silo.Runtime;

/// <summary>One <c>AddGrain</c> call, kept in the service collection until the registry is built.</summary>
/// <param name="Name">The grain type name, or null for the default from the class name.</param>
/// <param name="KeepAlive">The default keep-alive, or null for <c>SiloOptions.DefaultKeepAlive</c>.</param>
internal sealed record GrainRegistration(Type Interface, Type GrainClass, string? Name, TimeSpan? KeepAlive)
{
    /// <summary>The class name without a <c>Grain</c> suffix, in lower case: <c>ModelGrain</c> → <c>model</c>.</summary>
    public static string DefaultName(Type grainClass)
    {
        var name = grainClass.Name;
        if (name.Length > "Grain".Length && name.EndsWith("Grain", StringComparison.Ordinal))
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }
}
