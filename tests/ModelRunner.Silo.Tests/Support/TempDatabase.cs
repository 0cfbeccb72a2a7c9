using Microsoft.Data.Sqlite;

namespace ModelRunner.Silo.Tests.Support;

/// <summary>A path for a SQLite file in a fresh temporary folder, deleted with the folder on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modelrunner-silo-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Directory.CreateDirectory(_directory);
    }

    public string Path => System.IO.Path.Combine(_directory, "state.db");

    /// <summary>Runs SQL on the file over a connection of its own (not pooled) and returns the first column of each row.</summary>
    public async Task<List<object>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        await connection.OpenAsync();
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

    public void Dispose()
    {
        // Pooled connections of stopped silos would otherwise keep the file open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
