using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Silo.Hosting;

/// <summary>Returned by <c>AddSilo</c>; grains are registered on it with <c>AddGrain</c>.</summary>
public interface ISiloBuilder
{
    /// <summary>The services the silo is registered in.</summary>
    IServiceCollection Services { get; }
}
