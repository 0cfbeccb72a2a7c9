using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Storage;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.Hosting;

/// <summary>Registers SQLite grain storage providers on a silo's services.</summary>
public static class SqliteGrainStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds a SQLite grain storage provider as the default one, used by
    /// <c>[PersistentState("state")]</c> without a storage name.
    /// </summary>
    /// <inheritdoc cref="AddSqliteGrainStorage(IServiceCollection, string, Action{SqliteGrainStorageOptions})" path="/remarks"/>
    public static IServiceCollection AddSqliteGrainStorageAsDefault(this IServiceCollection services, Action<SqliteGrainStorageOptions> configure) =>
        services.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>
    /// Adds a SQLite grain storage provider named <paramref name="name"/>, used by
    /// <c>[PersistentState("state", name)]</c> and resolvable as the keyed service
    /// <see cref="IGrainStorage"/> <paramref name="name"/>.
    /// </summary>
    /// <remarks>
    /// The options are validated when the silo starts, and the database is opened and migrated at
    /// <see cref="SqliteGrainStorageOptions.InitStage"/>: a missing path or an unusable file fails
    /// start-up. Adding the same name twice replaces the earlier provider.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>());
        services.AddTransient<IConfigurationValidator>(provider =>
            new SqliteGrainStorageOptionsValidator(provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), name));
        return services.AddGrainStorage(name, SqliteGrainStorage.Create);
    }
}
