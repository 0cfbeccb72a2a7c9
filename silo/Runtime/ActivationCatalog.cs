using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// This silo's activations, one per grain id, and the way calls get into them. Thread-safe.
/// </summary>
internal sealed partial class ActivationCatalog : IDisposable
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly IGrainDirectory _directory;
    private readonly IPlacementDirector _placement;
    private readonly ILocalSiloDetails _localSilo;
    private IGrainFactory? _grainFactory;

    public ActivationCatalog(
        IServiceProvider services,
        TimeProvider timeProvider,
        IOptions<SiloOptions> options,
        IGrainDirectory directory,
        IPlacementDirector placement,
        ILocalSiloDetails localSilo,
        ILogger<ActivationCatalog> logger)
    {
        Services = services;
        Time = timeProvider;
        Options = options.Value;
        Logger = logger;
        _directory = directory;
        _placement = placement;
        _localSilo = localSilo;
    }

    public IServiceProvider Services { get; }

    public TimeProvider Time { get; }

    public SiloOptions Options { get; }

    public ILogger Logger { get; }

    // Resolved late: the factory itself depends on the catalog.
    public IGrainFactory GrainFactory => _grainFactory ??= Services.GetRequiredService<IGrainFactory>();

    /// <summary>Cancelled when the silo starts shutting down; the token <c>OnActivateAsync</c> gets.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>A moment's view of the activations.</summary>
    public ICollection<Activation> Activations => _activations.Values;

    public bool TryGet(GrainId grainId, out Activation activation) => _activations.TryGetValue(grainId, out activation!);

    /// <summary>
    /// Enters a call into the activation of (<paramref name="grainClass"/>, <paramref name="key"/>),
    /// creating it if there is none. A call that finds the activation deactivating waits for it
    /// to be gone and then enters a fresh one, so a grain never has two activations at once.
    /// </summary>
    /// <returns>The activation entered; the caller must call <see cref="Activation.Exit"/> once.</returns>
    public async Task<Activation> EnterAsync(GrainClassInfo grainClass, string key, bool interleave, CancellationToken cancellationToken)
    {
        var grainId = new GrainId(grainClass.Name, key);
        while (true)
        {
            if (_stopping.IsCancellationRequested)
            {
                throw new SiloUnavailableException();
            }

            // GetOrAdd may build a spare Activation under a race; only the stored one is ever started.
            var activation = _activations.GetOrAdd(grainId, static (id, state) => new Activation(state.Catalog, state.GrainClass, id), (Catalog: this, GrainClass: grainClass));
            activation.EnsureStarted();
            if (await activation.TryEnterAsync(interleave, cancellationToken).ConfigureAwait(false))
            {
                return activation;
            }

            await activation.Deactivated.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers the activation in the directory after placement chose this silo.</summary>
    /// <exception cref="GrainNotLocalException">The grain belongs on another silo.</exception>
    public async Task ClaimAsync(Activation activation, CancellationToken cancellationToken)
    {
        var local = _localSilo.Address;
        var silo = await _placement.PlaceAsync(activation.Id, cancellationToken).ConfigureAwait(false);
        if (silo != local)
        {
            throw new GrainNotLocalException(activation.Id, silo);
        }

        var address = new GrainAddress(activation.Id, local, activation.ActivationId);
        var owner = await _directory.RegisterAsync(address, cancellationToken).ConfigureAwait(false);
        if (owner.Silo == local && owner.ActivationId != address.ActivationId)
        {
            // The catalog holds one activation per grain, so a different local entry is a leftover
            // of one whose unregistration failed: replace it.
            await _directory.UnregisterAsync(owner, cancellationToken).ConfigureAwait(false);
            owner = await _directory.RegisterAsync(address, cancellationToken).ConfigureAwait(false);
        }

        if (owner != address)
        {
            throw new GrainNotLocalException(activation.Id, owner.Silo);
        }
    }

    /// <summary>Removes the activation's directory entry; failures are logged, never thrown.</summary>
    public async Task ReleaseAsync(Activation activation)
    {
        try
        {
            var address = new GrainAddress(activation.Id, _localSilo.Address, activation.ActivationId);
            await _directory.UnregisterAsync(address, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A directory failure must not stop a deactivation; ClaimAsync replaces stale local entries.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogUnregisterFailed(Logger, activation.Id, exception);
        }
    }

    /// <summary>Forgets this exact activation (not a newer one of the same grain).</summary>
    public void Remove(Activation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.Id, activation));

    /// <summary>
    /// Refuses new calls and deactivates every activation with <see cref="DeactivationReason.Shutdown"/>,
    /// each once its running calls end. Returns when all are gone or when
    /// <paramref name="cancellationToken"/> fires (the host's shutdown timeout), logging those left.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // Loop: an activation created by a call that raced with the cancellation fails on its own,
        // but one that slipped in before it still needs deactivating.
        while (!_activations.IsEmpty)
        {
            var remaining = _activations.Values.ToArray();
            foreach (var activation in remaining)
            {
                activation.RequestDeactivation(DeactivationReason.Shutdown);
            }

            try
            {
                await Task.WhenAll(remaining.Select(activation => activation.Deactivated)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                LogShutdownIncomplete(Logger, _activations.Count);
                return;
            }
        }
    }

    public void Dispose() => _stopping.Dispose();
}
