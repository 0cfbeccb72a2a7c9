using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Hosting;
using ModelRunner.Silo.Runtime;
using ModelRunner.Silo.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the silo and its grains.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo: <see cref="IGrainFactory"/>, <see cref="IActivationManager"/>, the
    /// single-node <see cref="IGrainDirectory"/> (in memory), <see cref="IPlacementDirector"/>
    /// (local) and <see cref="IGrainStorage"/> (SQLite in <see cref="SiloOptions.DataDirectory"/>),
    /// <see cref="TimeProvider.System"/>, and a hosted service that starts and stops the silo with
    /// the host. Every service is added with <c>TryAdd</c>, so one registered before (a cluster
    /// directory, a fake clock) wins. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder AddSilo(this IServiceCollection services, Action<SiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SiloOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILocalSiloDetails, LocalSiloDetails>();
        services.TryAddSingleton<IGrainDirectory, InMemoryGrainDirectory>();
        services.TryAddSingleton<IPlacementDirector, LocalPlacementDirector>();
        services.TryAddSingleton<IGrainStorage, SqliteGrainStorage>();
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<ActivationCatalog>();
        services.TryAddSingleton<ActivationCollector>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.TryAddSingleton<IActivationManager, ActivationManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SiloHostedService>());
        return new SiloBuilder(services);
    }

    /// <summary>
    /// Registers <typeparamref name="TGrain"/> as the grain class behind
    /// <typeparamref name="TGrainInterface"/>. A class registered for several interfaces is one
    /// grain type (one activation per key, whichever interface is called).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A setting in <paramref name="configure"/> is invalid, or the interface has a method that
    /// cannot be a grain method (the message names each).
    /// </exception>
    public static ISiloBuilder AddGrain<TGrainInterface, TGrain>(this ISiloBuilder builder, Action<GrainTypeOptions>? configure = null)
        where TGrainInterface : IGrainWithStringKey
        where TGrain : Grain, TGrainInterface
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new GrainTypeOptions();
        configure?.Invoke(options);
        if (options.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"GrainTypeOptions.Name of {typeof(TGrain).Name} must not be blank or contain '/'; it is '{name}'.", nameof(configure));
        }

        if (options.KeepAlive is { } keepAlive && keepAlive < TimeSpan.Zero && keepAlive != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"GrainTypeOptions.KeepAlive of {typeof(TGrain).Name} must be ≥ 0 or Timeout.InfiniteTimeSpan; it is {keepAlive}.", nameof(configure));
        }

        // Checked now, not at the first call: a bad interface is a programming error.
        GrainInterfaceMetadata.For(typeof(TGrainInterface));
        builder.Services.AddSingleton(new GrainRegistration(typeof(TGrainInterface), typeof(TGrain), options.Name, options.KeepAlive));
        return builder;
    }
}
