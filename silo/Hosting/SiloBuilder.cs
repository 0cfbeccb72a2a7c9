using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Silo.Hosting;

internal sealed class SiloBuilder(IServiceCollection services) : ISiloBuilder
{
    public IServiceCollection Services { get; } = services;
}
