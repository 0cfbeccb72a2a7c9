using Microsoft.Extensions.Hosting;

namespace ModelRunner.Api.Hosting;

/// <summary>
/// The moment a stopping server stops waiting for running generations: <see cref="ServerOptions.ShutdownGrace"/>
/// after the host starts stopping (SIGTERM, SIGINT), <see cref="Token"/> is cancelled and every
/// generation still running ends, so the silo has the rest of the shutdown to save the models'
/// conversations. Thread-safe; one per server.
/// </summary>
public sealed class ShutdownCutoff : IDisposable
{
    private readonly CancellationTokenSource _cutoff = new();
    private readonly CancellationTokenRegistration _stopping;

    public ShutdownCutoff(IHostApplicationLifetime lifetime, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        _stopping = lifetime.ApplicationStopping.Register(() => _cutoff.CancelAfter(options.ShutdownGrace));
    }

    /// <summary>Cancelled once the grace period after the start of a shutdown is over.</summary>
    public CancellationToken Token => _cutoff.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _cutoff.Dispose();
    }
}
