using ModelRunner.Silo.Runtime;

namespace ModelRunner.Silo.Grains;

/// <summary>
/// Base class of grain classes. A grain class is <c>sealed</c>, implements one or more grain
/// interfaces, and takes its dependencies through its constructor; the silo creates it on the
/// first call (one activation per key per grain class), calls <see cref="OnActivateAsync"/>
/// before any call, runs calls one at a time (except <see cref="AlwaysInterleaveAttribute"/>
/// methods), and calls <see cref="OnDeactivateAsync"/> when the activation is collected,
/// evicted or the silo stops; an instance that implements <see cref="IAsyncDisposable"/> or
/// <see cref="IDisposable"/> is disposed after that. <see cref="Key"/>, <see cref="GrainType"/>
/// and <see cref="GrainFactory"/> can already be used in the constructor.
/// </summary>
/// <remarks>
/// The lifetime members (<see cref="KeepAlive"/>, <see cref="DelayDeactivation"/>,
/// <see cref="DeactivateOnIdle"/>) are thread-safe, so interleaving calls may use them too.
/// </remarks>
public abstract class Grain
{
    private readonly Activation _activation;

    /// <exception cref="InvalidOperationException">
    /// The grain is constructed outside the silo: grains are only reached through
    /// <see cref="IGrainFactory.GetGrain{TGrainInterface}"/>.
    /// </exception>
    protected Grain()
    {
        _activation = GrainConstruction.Current
            ?? throw new InvalidOperationException($"{GetType().Name} is a grain: the silo creates it on the first call through IGrainFactory.GetGrain, it cannot be constructed directly.");
    }

    /// <summary>The key this activation serves.</summary>
    public string Key => _activation.Id.Key;

    /// <summary>The grain type's name (its registration name; e.g. a storage name for its state).</summary>
    public string GrainType => _activation.Id.Type;

    /// <summary>Reaches other grains (or this one, through its own reference).</summary>
    protected IGrainFactory GrainFactory => _activation.Catalog.GrainFactory;

    /// <summary>
    /// How long the activation may stay idle (no call running) before the collector deactivates
    /// it. Starts at the grain type's keep-alive (<c>GrainTypeOptions.KeepAlive</c>, else
    /// <c>SiloOptions.DefaultKeepAlive</c>) and can be changed at any time, e.g. per request;
    /// it counts from the end of the last call. <see cref="TimeSpan.Zero"/>: deactivate at the
    /// collector's next check after the activation becomes idle;
    /// <see cref="Timeout.InfiniteTimeSpan"/>: never collect (a resource manager still may, if
    /// it asks to include pinned activations).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative span other than <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    protected TimeSpan KeepAlive
    {
        get => _activation.KeepAlive;
        set => _activation.KeepAlive = value;
    }

    /// <summary>
    /// Called once before the first call reaches the activation, with a token cancelled when the
    /// silo shuts down. Calls wait until it completes. If it throws, the activation is discarded
    /// (disposed if disposable, <see cref="OnDeactivateAsync"/> is not called), every waiting
    /// caller gets the exception, and the next call tries a fresh activation. A grain that must
    /// wait for something (e.g. memory admission) simply awaits it here.
    /// </summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called once when the activation is deactivated, after its last call ended; no call runs
    /// during it, and calls that arrive meanwhile wait and then reach a fresh activation. The
    /// token is cancelled after <c>SiloOptions.DeactivationTimeout</c>; the silo still waits for
    /// the returned task, so free what must be freed even then. Exceptions are logged and ignored.
    /// </summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Keeps the activation from being collected for at least <paramref name="timeSpan"/> from
    /// now, whatever its keep-alive, replacing any earlier delay (as in Orleans).
    /// <see cref="TimeSpan.Zero"/> cancels an earlier delay; <see cref="Timeout.InfiniteTimeSpan"/>
    /// pins the activation until the delay is cancelled. Does not override
    /// <see cref="DeactivateOnIdle"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeSpan"/> is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    protected void DelayDeactivation(TimeSpan timeSpan) => _activation.DelayDeactivation(timeSpan);

    /// <summary>
    /// Deactivates the activation as soon as no call is running on it (right away when called
    /// outside a call), ignoring keep-alive and delays. Calls that arrive after this wait for the
    /// deactivation and then reach a fresh activation.
    /// </summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(DeactivationReason.DeactivateOnIdle);
}
