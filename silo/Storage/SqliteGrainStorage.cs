using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace ModelRunner.Silo.Storage;

/// <summary>
/// Orleans grain storage in one SQLite file (<see cref="SqliteGrainStorageOptions.DatabasePath"/>):
/// one row per (grain id, state name) holding the bytes of the provider's
/// <see cref="IGrainStorageSerializer"/>. The file is opened and its schema migrated at silo start
/// (<see cref="SqliteGrainStorageOptions.InitStage"/>), so an unusable file fails start-up; an
/// instance made outside a silo does it on first use. WAL mode lets reads proceed while one write
/// commits; every operation takes a pooled connection of its own, and writes run in immediate
/// transactions (waiting up to 30 s for another writer, in this or another process), so any
/// number of grains may use it at once. Etags are random per write, so a state cleared and written
/// again never matches an etag read before the clear.
/// </summary>
internal sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const int BusyTimeoutSeconds = 30;

    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private volatile bool _initialized;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, IActivatorProvider activators, TimeProvider timeProvider, ILogger<SqliteGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activators);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _name = name;
        _options = options;
        _serializer = options.GrainStorageSerializer;
        _activators = activators;
        _timeProvider = timeProvider;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout.
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    public string DatabasePath => _options.DatabasePath;

    /// <summary>The factory <c>AddGrainStorage</c> calls: the provider named <paramref name="name"/>, with its named options.</summary>
    public static SqliteGrainStorage Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new SqliteGrainStorage(
            name,
            services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name),
            services.GetRequiredService<IActivatorProvider>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<SqliteGrainStorage>>());
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(OptionFormattingUtilities.Name<SqliteGrainStorage>(_name), _options.InitStage, EnsureInitializedAsync, StopAsync);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT payload, etag FROM orleans_grain_state WHERE grain_id = $grainId AND state_name = $stateName;", stateName, grainId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var payload = reader.GetFieldValue<byte[]>(0);
        var etag = reader.GetString(1);
        T? state;
        try
        {
            state = _serializer.Deserialize<T>(new BinaryData(payload));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Serializers throw their own exception types; this one says which row is unreadable.
            throw new InvalidDataException($"The stored {stateName} state of grain {grainId} in {DatabasePath} does not deserialize as {typeof(T)}: {exception.Message}", exception);
        }

        grainState.State = state ?? CreateDefault<T>();
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ExpectedETag(grainState);
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var newETag = Guid.NewGuid().ToString("N");
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Command(
            connection,
            transaction,
            expected is null
                ? "INSERT INTO orleans_grain_state (grain_id, state_name, payload, etag, modified_at) VALUES ($grainId, $stateName, $payload, $newETag, $now) ON CONFLICT DO NOTHING;"
                : "UPDATE orleans_grain_state SET payload = $payload, etag = $newETag, modified_at = $now WHERE grain_id = $grainId AND state_name = $stateName AND etag = $etag;",
            stateName,
            grainId);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$newETag", newETag);
        command.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$etag", (object?)expected ?? DBNull.Value);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            var stored = await StoredETagAsync(connection, transaction, stateName, grainId, cancellationToken).ConfigureAwait(false);
            throw Inconsistent("write", stateName, grainId, expected, stored);
        }

        transaction.Commit();
        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ExpectedETag(grainState);
        using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            var stored = await StoredETagAsync(connection, transaction, stateName, grainId, cancellationToken).ConfigureAwait(false);
            if (stored != expected)
            {
                throw Inconsistent("clear", stateName, grainId, expected, stored);
            }

            // Nothing stored and nothing expected: there is nothing to delete, and no conflict.
            if (stored is not null)
            {
                using var command = Command(connection, transaction, "DELETE FROM orleans_grain_state WHERE grain_id = $grainId AND state_name = $stateName;", stateName, grainId);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                transaction.Commit();
            }
        }

        grainState.State = CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Closes the pooled connections, so the file can be moved, deleted or opened afresh.</summary>
    public void Dispose()
    {
        ClearPool();
        _initializeGate.Dispose();
    }

    private static string? ExpectedETag<T>(IGrainState<T> grainState) =>
        string.IsNullOrEmpty(grainState.ETag) ? null : grainState.ETag;

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$grainId", grainId.ToString());
        command.Parameters.AddWithValue("$stateName", stateName);
        return command;
    }

    private static async Task<string?> StoredETagAsync(SqliteConnection connection, SqliteTransaction transaction, string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT etag FROM orleans_grain_state WHERE grain_id = $grainId AND state_name = $stateName;", stateName, grainId);
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? expected, string? stored) =>
        new(
            $"Cannot {operation} the {stateName} state of grain {grainId} in {DatabasePath}: it changed since it was read (expected etag {expected ?? "(none stored)"}, found {stored ?? "(none stored)"}). Read it again first.",
            storedEtag: stored,
            currentEtag: expected);

    private T CreateDefault<T>() => _activators.GetActivator<T>().Create();

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
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!);
                using var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                // WAL is a property of the file: set once, every later connection uses it.
                using (var wal = connection.CreateCommand())
                {
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    var mode = (string?)await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    {
                        LogNoWal(_logger, _name, DatabasePath, mode);
                    }
                }

                var (from, to) = await SqliteSchema.MigrateAsync(connection, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (from != to)
                {
                    LogMigrated(_logger, _name, DatabasePath, from, to);
                }
            }
            catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new InvalidOperationException($"Cannot open the grain-state database {DatabasePath} ({nameof(SqliteGrainStorageOptions)}.{nameof(SqliteGrainStorageOptions.DatabasePath)} of the SQLite grain storage \"{_name}\"): {exception.Message}", exception);
            }

            _initialized = true;
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    private Task StopAsync(CancellationToken cancellationToken)
    {
        ClearPool();
        return Task.CompletedTask;
    }

    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
