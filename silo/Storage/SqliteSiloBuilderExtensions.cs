using ModelRunner.Silo.Storage;
using Orleans.Providers;

namespace Orleans.Hosting;

/// <summary>Adds SQLite grain storage to a silo: <c>silo.AddSqliteGrainStorageAsDefault(o => o.DatabasePath = ...)</c>.</summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// Adds a SQLite grain storage provider as the default one, used by
    /// <c>[PersistentState("state")]</c> without a storage name.
    /// </summary>
    /// <inheritdoc cref="SqliteGrainStorageServiceCollectionExtensions.AddSqliteGrainStorage" path="/remarks"/>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>
    /// Adds a SQLite grain storage provider named <paramref name="name"/>, used by
    /// <c>[PersistentState("state", name)]</c>.
    /// </summary>
    /// <inheritdoc cref="SqliteGrainStorageServiceCollectionExtensions.AddSqliteGrainStorage" path="/remarks"/>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSqliteGrainStorage(name, configure);
        return builder;
    }
}
