using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ModelRunner.Silo.Storage;

/// <summary>
/// The grain-state database's schema as an ordered list of migrations; <c>schema_version</c>
/// records each one applied (version, time). Migrating runs in one immediate transaction, so two
/// processes opening the same file at once cannot both apply a step.
/// </summary>
/// <remarks>
/// Version 1 is the table of the home-made actor runtime this silo replaced (JSON per state type
/// and key). Version 2 is the Orleans provider's table (<see cref="SqliteGrainStorage"/>).
/// </remarks>
internal static class SqliteSchema
{
    // Append only: migration i brings the schema to version i + 1. Never edit a released step.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE grain_state (
            state_type  TEXT NOT NULL,
            state_key   TEXT NOT NULL,
            payload     TEXT NOT NULL,
            etag        TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            PRIMARY KEY (state_type, state_key)
        );
        """,
        // Orleans grain state: the grain id as Orleans prints it ("type/key"), the state's name
        // from [PersistentState], and the bytes of the provider's IGrainStorageSerializer. Rows of
        // grain_state above are left alone, not converted: their keys and JSON do not map onto
        // Orleans grain ids and serializers, and no grain reads them any more.
        """
        CREATE TABLE orleans_grain_state (
            grain_id    TEXT NOT NULL,
            state_name  TEXT NOT NULL,
            payload     BLOB NOT NULL,
            etag        TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            PRIMARY KEY (grain_id, state_name)
        );
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the schema to <see cref="LatestVersion"/>; returns the versions before and after.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer ModelRunner (a schema version this one does not know).</exception>
    public static async Task<(int From, int To)> MigrateAsync(SqliteConnection connection, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken).ConfigureAwait(false);

        using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        var current = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException($"The grain-state database {connection.DataSource} has schema version {current}, newer than this ModelRunner knows ({LatestVersion}); use a newer ModelRunner or another database file.");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $appliedAt);";
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$appliedAt", timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        transaction.Commit();
        return (current, LatestVersion);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
