namespace ModelRunner.Silo.Tests.Storage;

/// <summary>What happens to the database when silos start and stop: each test runs clusters of its own.</summary>
public sealed class SqliteGrainStorageStartupTests
{
    private static readonly Note First = new() { Text = "hello", Revision = 1 };

    [Fact]
    public async Task DeployAsync_NewFile_CreatesTheSchemaInWalModeBeforeAnyGrainRuns()
    {
        using var database = new TempDatabase();

        await using var cluster = await SqliteTestCluster.StartAsync(database.Path);

        Assert.Equal([1L, 2L], await database.QueryAsync("SELECT version FROM schema_version ORDER BY version;"));
        Assert.Equal(["wal"], await database.QueryAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task DeployAsync_NewClusterOnTheSameFile_StateIsBackAndTheSchemaIsNotMigratedAgain()
    {
        using var database = new TempDatabase();
        await using (var before = await SqliteTestCluster.StartAsync(database.Path))
        {
            await before.Client.GetGrain<INoteGrain>("n").SetAsync(First);
        }

        await using var after = await SqliteTestCluster.StartAsync(database.Path);

        var grain = after.Client.GetGrain<INoteGrain>("n");
        Assert.Equal(First, await grain.GetAsync());
        Assert.True(await grain.RecordExistsAsync());
        Assert.Equal([1L, 2L], await database.QueryAsync("SELECT version FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task DeployAsync_DatabaseOfTheOldRuntime_AddsTheNewTableAndLeavesTheOldRows()
    {
        using var database = new TempDatabase();
        await database.QueryAsync(
            """
            CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
            INSERT INTO schema_version VALUES (1, 'before');
            CREATE TABLE grain_state (state_type TEXT NOT NULL, state_key TEXT NOT NULL, payload TEXT NOT NULL, etag TEXT NOT NULL, modified_at TEXT NOT NULL, PRIMARY KEY (state_type, state_key));
            INSERT INTO grain_state VALUES ('conversation', 'c1', '{}', 'e1', 'before');
            """);

        await using var cluster = await SqliteTestCluster.StartAsync(database.Path);
        await cluster.Client.GetGrain<INoteGrain>("n").SetAsync(First);

        Assert.Equal([1L, 2L], await database.QueryAsync("SELECT version FROM schema_version ORDER BY version;"));
        Assert.Equal(["c1"], await database.QueryAsync("SELECT state_key FROM grain_state;"));
        Assert.Single(await database.QueryAsync("SELECT grain_id FROM orleans_grain_state;"));
    }

    [Fact]
    public async Task DeployAsync_DatabaseWithANewerSchemaVersion_FailsNamingTheFile()
    {
        using var database = new TempDatabase();
        await database.QueryAsync(
            """
            CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
            INSERT INTO schema_version VALUES (99, 'later');
            """);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SqliteTestCluster.StartAsync(database.Path));

        Assert.Contains($"The grain-state database {database.Path} has schema version 99", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployAsync_DatabaseCannotBeCreated_FailsNamingTheFile()
    {
        using var database = new TempDatabase();
        // A file where the database's folder should be: no one, root included, can create it.
        await File.WriteAllTextAsync(database.Path, "not a folder");
        var path = Path.Combine(database.Path, "state.db");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SqliteTestCluster.StartAsync(path));

        Assert.Contains($"Cannot open the grain-state database {path}", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployAsync_NoDatabasePath_FailsNamingTheSetting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SqliteTestCluster.StartAsync(" "));

        Assert.Contains("SqliteGrainStorageOptions.DatabasePath of the SQLite grain storage \"Default\" is required", failure.ToString(), StringComparison.Ordinal);
    }
}
