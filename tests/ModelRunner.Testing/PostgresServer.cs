using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace ModelRunner.Testing;

/// <summary>
/// A real PostgreSQL server in a temporary folder on a free loopback port, run as the
/// <c>postgres</c> system user (the server refuses to run as root). Each cluster gets a database
/// of its own, created empty. Fails loudly when the server cannot start.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "modelrunner-pg-" + Guid.NewGuid().ToString("N"));
    private Process? _server;

    public int Port { get; } = LoopbackPort.Free();

    /// <summary>Starts a server; it answers when this returns.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await RunAsync("chown", "postgres:postgres", _folder);
        var data = Path.Combine(_folder, "data");
        await AsPostgresAsync(Tool("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync");
        var start = new ProcessStartInfo("runuser") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-u", "postgres", "--", Tool("postgres"), "-D", data, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={_folder}", "-c", "fsync=off", "-c", "max_connections=300" })
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start");
        _ = _server.StandardOutput.ReadToEndAsync();
        var log = _server.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync(deadline.Token);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or SocketException && !deadline.IsCancellationRequested && !_server.HasExited)
            {
                await Task.Delay(100, CancellationToken.None);
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on port {Port}: {exception.Message}\n{(_server.HasExited ? await log : "")}", exception);
            }
        }
    }

    /// <summary>A new, empty database; its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "cluster_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A PostgreSQL program from the PATH, else from Debian's versioned folder.</summary>
    private static string Tool(string name)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
        return onPath
            ?? Directory.EnumerateDirectories("/usr/lib/postgresql").OrderDescending().Select(folder => Path.Combine(folder, "bin", name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"PostgreSQL's {name} is not installed (eng/install-test-deps.sh installs it)");
    }

    private static Task AsPostgresAsync(params string[] command) => RunAsync("runuser", ["-u", "postgres", "--", .. command]);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
