using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ModelRunner.Silo.Cluster;

/// <summary>
/// Applies <see cref="PostgresSchema"/> before the silo starts (registered ahead of it), so a
/// database that is down or refuses fails the start with one clear line.
/// </summary>
internal sealed class PostgresSchemaSetup(string connectionString) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        try
        {
            await PostgresSchema.EnsureAsync(connectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw new ClusterDatabaseException($"cannot use the cluster database {target.Database ?? "(default)"} at {target.Host}:{target.Port}: {exception.Message}", exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
