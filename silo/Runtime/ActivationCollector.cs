using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// Deactivates activations idle beyond their keep-alive. A timer from the
/// <see cref="TimeProvider"/> checks every <see cref="SiloOptions.CollectionInterval"/> (1 s by
/// default, so a keep-alive of zero means "right after the call"); tests drive it with a fake
/// clock. A check that is still running when the next tick comes makes that tick a no-op.
/// </summary>
internal sealed partial class ActivationCollector(ActivationCatalog catalog, TimeProvider timeProvider, IOptions<SiloOptions> options, ILogger<ActivationCollector> logger)
    : IDisposable
{
    private ITimer? _timer;
    private int _collecting;

    public void Start()
    {
        var interval = options.Value.CollectionInterval;
        _timer ??= timeProvider.CreateTimer(_ => Collect(), null, interval, interval);
    }

    /// <summary>One pass over the activations; also called by the timer.</summary>
    public void Collect()
    {
        if (Interlocked.Exchange(ref _collecting, 1) == 1)
        {
            return;
        }

        try
        {
            var now = timeProvider.GetUtcNow();
            var collected = catalog.Activations.Count(activation => activation.TryCollect(now));
            if (collected > 0)
            {
                LogCollected(logger, collected);
            }
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
