using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Silo.Hosting;
using ModelRunner.Silo.Storage;

namespace ModelRunner.Silo.Tests.Storage;

public sealed class SqliteGrainStorageTests
{
    private static readonly Note First = new("hello", 1);

    [Fact]
    public async Task ReadAsync_NothingStored_ReturnsNull()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Null(await Storage(silo).ReadAsync("note", "a", TestJsonContext.Default.Note));
    }

    [Fact]
    public async Task WriteAsync_ThenRead_RoundTrips()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);

        var etag = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);
        var stored = await storage.ReadAsync("note", "a", TestJsonContext.Default.Note);

        Assert.Equal(new StoredState<Note>(First, etag), stored);
        Assert.Null(await storage.ReadAsync("note", "b", TestJsonContext.Default.Note));
        Assert.Null(await storage.ReadAsync("other", "a", TestJsonContext.Default.Note));
    }

    [Fact]
    public async Task WriteAsync_CurrentETag_ReplacesTheStateWithANewETag()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        var etag = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);

        var next = await storage.WriteAsync("note", "a", First with { Revision = 2 }, etag, TestJsonContext.Default.Note);

        Assert.NotEqual(etag, next);
        Assert.Equal(new StoredState<Note>(First with { Revision = 2 }, next), await storage.ReadAsync("note", "a", TestJsonContext.Default.Note));
    }

    [Fact]
    public async Task WriteAsync_StaleETag_ThrowsAndKeepsTheStoredState()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        var stale = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);
        var current = await storage.WriteAsync("note", "a", First with { Revision = 2 }, stale, TestJsonContext.Default.Note);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("note", "a", First with { Revision = 3 }, stale, TestJsonContext.Default.Note));

        Assert.Equal((stale, current), (conflict.ExpectedETag, conflict.StoredETag));
        Assert.Contains("note/a", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await storage.ReadAsync("note", "a", TestJsonContext.Default.Note))?.State.Revision);
    }

    [Fact]
    public async Task WriteAsync_NoETagButStateExists_Throws()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note));

        Assert.Null(conflict.ExpectedETag);
        Assert.NotNull(conflict.StoredETag);
    }

    [Fact]
    public async Task ClearAsync_CurrentETag_RemovesTheState()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        var etag = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);

        await storage.ClearAsync("note", "a", etag);

        Assert.Null(await storage.ReadAsync("note", "a", TestJsonContext.Default.Note));
        // Nothing stored and nothing expected: a no-op, not a conflict.
        await storage.ClearAsync("note", "a", null);
    }

    [Fact]
    public async Task ClearAsync_StaleETag_ThrowsAndKeepsTheState()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        var stale = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);
        await storage.WriteAsync("note", "a", First with { Revision = 2 }, stale, TestJsonContext.Default.Note);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync("note", "a", stale));

        Assert.NotNull(await storage.ReadAsync("note", "a", TestJsonContext.Default.Note));
    }

    [Fact]
    public async Task WriteAsync_ETagFromBeforeAClear_ThrowsAfterTheStateIsWrittenAgain()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        var old = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);
        await storage.ClearAsync("note", "a", old);
        await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("note", "a", First, old, TestJsonContext.Default.Note));
    }

    [Fact]
    public async Task ReadAsync_AfterRestart_StateIsBack()
    {
        var directory = TestSilo.NewDataDirectory();
        try
        {
            string etag;
            await using (var before = await TestSilo.StartAsync(dataDirectory: directory))
            {
                etag = await Storage(before).WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);
            }

            await using var after = await TestSilo.StartAsync(dataDirectory: directory);

            Assert.Equal(new StoredState<Note>(First, etag), await Storage(after).ReadAsync("note", "a", TestJsonContext.Default.Note));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_NewDataDirectory_CreatesTheSchemaInWalModeAndRecordsItsVersion()
    {
        await using var silo = await TestSilo.StartAsync();

        await using var connection = await OpenAsync(silo.DataDirectory);

        Assert.Equal([1L], await QueryAsync(connection, "SELECT version FROM schema_version ORDER BY version;"));
        Assert.Equal(["wal"], await QueryAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal([silo.Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)], await QueryAsync(connection, "SELECT applied_at FROM schema_version;"));
    }

    [Fact]
    public async Task StartAsync_ExistingDatabase_DoesNotMigrateAgain()
    {
        var directory = TestSilo.NewDataDirectory();
        try
        {
            await (await TestSilo.StartAsync(dataDirectory: directory)).DisposeAsync();
            await (await TestSilo.StartAsync(dataDirectory: directory)).DisposeAsync();

            await using var connection = await OpenAsync(directory);
            Assert.Equal([1L], await QueryAsync(connection, "SELECT version FROM schema_version;"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_DatabaseFromANewerVersion_FailsSayingSo()
    {
        var directory = TestSilo.NewDataDirectory();
        try
        {
            await (await TestSilo.StartAsync(dataDirectory: directory)).DisposeAsync();
            await using (var connection = await OpenAsync(directory))
            {
                await QueryAsync(connection, "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later');");
            }

            SqliteConnection.ClearAllPools();
            using var host = TestSilo.Build(directory, new ManualTimeProvider(), new Probe());
            var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

            Assert.Contains("schema version 99", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WriteAsync_ManyGrainsAtOnce_AllPersist()
    {
        await using var silo = await TestSilo.StartAsync(grains: builder => builder.AddGrain<ITallyGrain, TallyGrain>());

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            var grain = silo.Grains.GetGrain<ITallyGrain>($"t{i}");
            await grain.IncrementAsync();
            await grain.IncrementAsync();
        }))).Within("fifty grains writing twice each");

        var storage = Storage(silo);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(2, (await storage.ReadAsync("tally", $"t{i}", TestJsonContext.Default.Tally))?.State.Count);
        }
    }

    [Fact]
    public async Task WriteAsync_ConcurrentWritersOfOneKey_ExactlyOneWins()
    {
        await using var silo = await TestSilo.StartAsync();
        var storage = Storage(silo);
        var etag = await storage.WriteAsync("note", "a", First, null, TestJsonContext.Default.Note);

        var writes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await storage.WriteAsync("note", "a", First with { Revision = i + 2 }, etag, TestJsonContext.Default.Note);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Equal(1, writes.Count(won => won));
    }

    [Fact]
    public async Task PersistentState_GrainDeactivatedAndSiloRestarted_StateIsBack()
    {
        var directory = TestSilo.NewDataDirectory();
        try
        {
            await using (var before = await TestSilo.StartAsync(grains: builder => builder.AddGrain<ITallyGrain, TallyGrain>(), dataDirectory: directory))
            {
                var grain = before.Grains.GetGrain<ITallyGrain>("t");
                await grain.IncrementAsync();
                await grain.IncrementAsync();
                await grain.DeactivateAsync();
                await Deadline.UntilAsync(() => before.Activations.GetActivations().Count == 0, "the tally grain to deactivate");
                Assert.Equal(3, await grain.IncrementAsync());
            }

            await using var after = await TestSilo.StartAsync(grains: builder => builder.AddGrain<ITallyGrain, TallyGrain>(), dataDirectory: directory);

            Assert.Equal(3, await after.Grains.GetGrain<ITallyGrain>("t").GetAsync());
            await after.Grains.GetGrain<ITallyGrain>("t").ClearAsync();
            Assert.Null(await Storage(after).ReadAsync("tally", "t", TestJsonContext.Default.Tally));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IGrainStorage Storage(TestSilo silo) => silo.Host.Services.GetRequiredService<IGrainStorage>();

    private static async Task<SqliteConnection> OpenAsync(string directory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, SiloOptions.StorageFileName), Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<object>> QueryAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }
}
