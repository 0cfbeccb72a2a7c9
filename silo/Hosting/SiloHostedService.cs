using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelRunner.Silo.Runtime;
using ModelRunner.Silo.Storage;

namespace ModelRunner.Silo.Hosting;

/// <summary>
/// Starts the silo with the host (grain registrations checked, storage ready, collector running)
/// and stops it gracefully: no new calls, every activation deactivated with reason
/// <c>Shutdown</c> once its calls end, within the host's shutdown timeout.
/// </summary>
internal sealed partial class SiloHostedService(
    GrainTypeRegistry registry,
    IGrainStorage storage,
    ActivationCatalog catalog,
    ActivationCollector collector,
    ILogger<SiloHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage is ISiloStartupTask startup)
        {
            await startup.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        collector.Start();
        LogStarted(logger, registry.Classes.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        collector.Dispose();
        await catalog.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(logger);
    }
}
