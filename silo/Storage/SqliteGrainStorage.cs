using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file (<see cref="SiloOptions.StoragePath"/>). The schema is created
/// or migrated at silo start (or on first use). WAL mode lets reads proceed while one write
/// commits; every operation takes a pooled connection of its own, and writes run in immediate
/// transactions (waiting up to 30 s for another writer), so any number of grains may use it at
/// once. Etags are random per write, so a state cleared and written again never matches an etag
/// read before the clear.
/// </summary>
internal sealed partial class SqliteGrainStorage : IGrainStorage, ISiloStartupTask, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private volatile bool _initialized;

    public SqliteGrainStorage(IOptions<SiloOptions> options, TimeProvider timeProvider, ILogger<SqliteGrainStorage> logger)
    {
        DatabasePath = options.Value.StoragePath;
        _timeProvider = timeProvider;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DatabasePath { get; }

    public Task StartAsync(CancellationToken cancellationToken) => EnsureInitializedAsync(cancellationToken);

    public async Task<StoredState<T>?> ReadAsync<T>(string stateType, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT payload, etag FROM grain_state WHERE state_type = $type AND state_key = $key;", stateType, key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var payload = reader.GetString(0);
        var etag = reader.GetString(1);
        try
        {
            return new StoredState<T>(JsonSerializer.Deserialize(payload, typeInfo)!, etag);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The stored state {stateType}/{key} in {DatabasePath} is not valid JSON for {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    public async Task<string> WriteAsync<T>(string stateType, string key, T state, string? etag, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var payload = JsonSerializer.Serialize(state, typeInfo);
        var newETag = Guid.NewGuid().ToString("N");
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Command(
            connection,
            transaction,
            etag is null
                ? "INSERT INTO grain_state (state_type, state_key, payload, etag, modified_at) VALUES ($type, $key, $payload, $newETag, $now) ON CONFLICT DO NOTHING;"
                : "UPDATE grain_state SET payload = $payload, etag = $newETag, modified_at = $now WHERE state_type = $type AND state_key = $key AND etag = $etag;",
            stateType,
            key);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$newETag", newETag);
        command.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$etag", (object?)etag ?? DBNull.Value);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InconsistentStateException(stateType, key, etag, await StoredETagAsync(connection, transaction, stateType, key, cancellationToken).ConfigureAwait(false));
        }

        transaction.Commit();
        return newETag;
    }

    public async Task ClearAsync(string stateType, string key, string? etag, CancellationToken cancellationToken = default)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        var stored = await StoredETagAsync(connection, transaction, stateType, key, cancellationToken).ConfigureAwait(false);
        if (stored != etag)
        {
            throw new InconsistentStateException(stateType, key, etag, stored);
        }

        if (stored is null)
        {
            return;
        }

        using var command = Command(connection, transaction, "DELETE FROM grain_state WHERE state_type = $type AND state_key = $key;", stateType, key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        transaction.Commit();
    }

    /// <summary>Closes the pooled connections, so the file can be moved, deleted or opened afresh.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _initializeGate.Dispose();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, string stateType, string key)
    {
        ArgumentNullException.ThrowIfNull(stateType);
        ArgumentNullException.ThrowIfNull(key);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$type", stateType);
        command.Parameters.AddWithValue("$key", key);
        return command;
    }

    private static async Task<string?> StoredETagAsync(SqliteConnection connection, SqliteTransaction transaction, string stateType, string key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT etag FROM grain_state WHERE state_type = $type AND state_key = $key;", stateType, key);
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        await _initializeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
                using var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                // WAL is a property of the file: set once, every later connection uses it.
                using (var wal = connection.CreateCommand())
                {
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    var mode = (string?)await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    {
                        LogNoWal(_logger, DatabasePath, mode);
                    }
                }

                var (from, to) = await SqliteSchema.MigrateAsync(connection, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (from != to)
                {
                    LogMigrated(_logger, DatabasePath, from, to);
                }
            }
            catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"Cannot open the grain-state database {DatabasePath} (SiloOptions.DataDirectory): {exception.Message}", exception);
            }

            _initialized = true;
        }
        finally
        {
            _initializeGate.Release();
        }
    }
}
