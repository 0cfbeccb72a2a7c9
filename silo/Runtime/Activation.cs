using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// One activation of one grain: its instance, its turn, and its life (activating → active →
/// deactivating → gone). Every state change happens under <see cref="_gate"/>, and the number
/// of running calls is counted under the same lock, so the decision to deactivate and the
/// decision to let a call in can never both succeed: a call either entered first (and the
/// activation is busy) or sees the activation deactivating and waits for a fresh one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds nothing to free unless its AvailableWaitHandle is used, which it never is here.")]
internal sealed partial class Activation
{
    private readonly Lock _gate = new();
    // Non-interleaving calls hold it for their whole turn, like Orleans' non-reentrant grains.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TaskCompletionSource _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActivationStatus _status = ActivationStatus.Activating;
    private bool _gone;
    private int _started;
    private int _running;
    private Grain? _grain;
    private AsyncServiceScope _scope;
    private TimeSpan _keepAlive;
    private DateTimeOffset? _delayedUntil;
    private DeactivationReason? _pendingDeactivation;
    private readonly DateTimeOffset _createdAt;
    private DateTimeOffset _lastUsed;
    private DateTimeOffset _idleSince;

    public Activation(ActivationCatalog catalog, GrainClassInfo grainClass, GrainId id)
    {
        Catalog = catalog;
        GrainClass = grainClass;
        Id = id;
        ActivationId = Guid.NewGuid().ToString("N");
        _keepAlive = grainClass.KeepAlive;
        _createdAt = _lastUsed = _idleSince = catalog.Time.GetUtcNow();
    }

    public ActivationCatalog Catalog { get; }

    public GrainClassInfo GrainClass { get; }

    public GrainId Id { get; }

    public string ActivationId { get; }

    /// <summary>The grain instance; only valid for a caller that has entered (<see cref="TryEnterAsync"/>).</summary>
    public Grain Grain => _grain ?? throw new InvalidOperationException($"{Id} has no grain instance: it is not active.");

    /// <summary>Completes (never faults) once the activation is gone: deactivated, or its activation failed.</summary>
    public Task Deactivated => _deactivated.Task;

    public TimeSpan KeepAlive
    {
        get
        {
            lock (_gate)
            {
                return _keepAlive;
            }
        }

        set
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "KeepAlive must be ≥ 0, or Timeout.InfiniteTimeSpan for never.");
            }

            lock (_gate)
            {
                _keepAlive = value;
            }
        }
    }

    /// <summary>Starts <c>OnActivateAsync</c> once, whoever calls first.</summary>
    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // The activation outlives the call that triggered it: it must not carry that caller's
            // async-locals (trace activity, logging scopes) into the grain's whole life.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(ActivateAsync);
            }
        }
    }

    /// <summary>
    /// Counts the caller in, waits for the activation and, unless <paramref name="interleave"/>,
    /// for the turn. False: the activation is deactivating or gone; wait for
    /// <see cref="Deactivated"/> and ask the catalog again. On true the caller must call
    /// <see cref="Exit"/> exactly once.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled while waiting.</exception>
    /// <exception cref="Exception">Whatever <c>OnActivateAsync</c> (or the grain's constructor) threw.</exception>
    public async Task<bool> TryEnterAsync(bool interleave, CancellationToken cancellationToken)
    {
        var failed = false;
        lock (_gate)
        {
            // A caller that reached this activation shares its fate even if the activation failed
            // before the caller got here; only calls that look it up after it left the catalog retry.
            if (_gone && _activated.Task.IsFaulted)
            {
                failed = true;
            }
            else if (_status == ActivationStatus.Deactivating || _gone || _pendingDeactivation is not null)
            {
                return false;
            }
            else
            {
                _running++;
                _lastUsed = Catalog.Time.GetUtcNow();
            }
        }

        if (failed)
        {
            await _activated.Task.ConfigureAwait(false);
        }

        try
        {
            await _activated.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!interleave)
            {
                await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Exit(holdsTurn: false);
            throw;
        }

        return true;
    }

    /// <summary>Ends a call that <see cref="TryEnterAsync"/> let in; deactivates if that was requested and this was the last call.</summary>
    public void Exit(bool holdsTurn)
    {
        if (holdsTurn)
        {
            _turn.Release();
        }

        DeactivationReason? start = null;
        lock (_gate)
        {
            _running--;
            _lastUsed = Catalog.Time.GetUtcNow();
            if (_running == 0)
            {
                _idleSince = _lastUsed;
                if (_status == ActivationStatus.Active && _pendingDeactivation is { } reason)
                {
                    _status = ActivationStatus.Deactivating;
                    start = reason;
                }
            }
        }

        if (start is { } why)
        {
            StartDeactivation(why);
        }
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        if (timeSpan < TimeSpan.Zero && timeSpan != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeSpan), timeSpan, "DelayDeactivation takes a span ≥ 0 (0 cancels a delay), or Timeout.InfiniteTimeSpan to pin.");
        }

        lock (_gate)
        {
            var now = Catalog.Time.GetUtcNow();
            _delayedUntil = timeSpan == TimeSpan.Zero ? null
                : timeSpan == Timeout.InfiniteTimeSpan || timeSpan >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue
                : now + timeSpan;
        }
    }

    /// <summary>Deactivates when the running calls end, or now if none runs; calls arriving after this go to a fresh activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_gate)
        {
            if (_status == ActivationStatus.Deactivating || _gone)
            {
                return;
            }

            // Shutdown wins so the grain learns the silo is stopping, whatever was asked before.
            _pendingDeactivation = reason == DeactivationReason.Shutdown ? reason : _pendingDeactivation ?? reason;
            if (_status != ActivationStatus.Active || _running > 0)
            {
                return;
            }

            _status = ActivationStatus.Deactivating;
            reason = _pendingDeactivation.Value;
        }

        StartDeactivation(reason);
    }

    /// <summary>The collector's check: deactivates if active, idle beyond keep-alive and past any delay.</summary>
    public bool TryCollect(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_status != ActivationStatus.Active || _running > 0 || _pendingDeactivation is not null || IsPinned
                || (_delayedUntil is { } until && now < until)
                || now - _idleSince < _keepAlive)
            {
                return false;
            }

            _status = ActivationStatus.Deactivating;
        }

        StartDeactivation(DeactivationReason.IdleTimeout);
        return true;
    }

    /// <summary>A resource manager's request: deactivates only an active, idle (and unless asked, unpinned) activation, and waits for it.</summary>
    public async Task<bool> TryDeactivateAsync(DeactivationReason reason, bool includePinned, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_status != ActivationStatus.Active || _running > 0 || _pendingDeactivation is not null || (IsPinned && !includePinned))
            {
                return false;
            }

            _status = ActivationStatus.Deactivating;
        }

        StartDeactivation(reason);
        await _deactivated.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Null once the activation is gone.</summary>
    public ActivationInfo? Snapshot()
    {
        lock (_gate)
        {
            return _gone ? null : new ActivationInfo(
                Id.Type,
                GrainClass.Class,
                Id.Key,
                _pendingDeactivation is not null && _status == ActivationStatus.Active ? ActivationStatus.Deactivating : _status,
                _running,
                _createdAt,
                _lastUsed,
                _running == 0 ? _idleSince : null,
                _keepAlive,
                _delayedUntil,
                _pendingDeactivation is not null);
        }
    }

    // Caller holds _gate.
    private bool IsPinned => _keepAlive == Timeout.InfiniteTimeSpan || _delayedUntil == DateTimeOffset.MaxValue;

    private async Task ActivateAsync()
    {
        var scope = Catalog.Services.CreateAsyncScope();
        Grain? grain = null;
        var claimed = false;
        try
        {
            Catalog.Stopping.ThrowIfCancellationRequested();
            await Catalog.ClaimAsync(this, Catalog.Stopping).ConfigureAwait(false);
            claimed = true;
            grain = GrainConstruction.Create(this, scope.ServiceProvider);
            await grain.OnActivateAsync(Catalog.Stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever failed goes to every waiting caller; nothing of the activation may remain.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var failure = exception is OperationCanceledException && Catalog.Stopping.IsCancellationRequested
                ? new SiloUnavailableException()
                : exception;
            LogActivationFailed(Catalog.Logger, Id, exception);
            await DisposeAsync(grain, scope).ConfigureAwait(false);
            if (claimed)
            {
                await Catalog.ReleaseAsync(this).ConfigureAwait(false);
            }

            Catalog.Remove(this);
            // Faulted before it is marked gone, so that no caller can see it gone but not failed.
            _activated.TrySetException(failure);
            lock (_gate)
            {
                _gone = true;
            }

            _deactivated.TrySetResult();
            return;
        }

        DeactivationReason? deactivateNow = null;
        lock (_gate)
        {
            _grain = grain;
            _scope = scope;
            _status = ActivationStatus.Active;
            if (_running == 0)
            {
                _idleSince = Catalog.Time.GetUtcNow();
                if (_pendingDeactivation is { } reason)
                {
                    _status = ActivationStatus.Deactivating;
                    deactivateNow = reason;
                }
            }
        }

        LogActivated(Catalog.Logger, Id);
        _activated.TrySetResult();
        if (deactivateNow is { } why)
        {
            StartDeactivation(why);
        }
    }

    private void StartDeactivation(DeactivationReason reason)
    {
        // Runs apart from whichever call or timer tick decided it, carrying none of its context.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => DeactivateAsync(reason));
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        var grain = _grain!;
        using (var timeout = new CancellationTokenSource(Catalog.Options.DeactivationTimeout, Catalog.Time))
        {
            try
            {
                await grain.OnDeactivateAsync(reason, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing OnDeactivateAsync must not keep the activation (or shutdown) hanging.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogDeactivationFailed(Catalog.Logger, Id, reason, exception);
            }
        }

        await DisposeAsync(grain, _scope).ConfigureAwait(false);
        await Catalog.ReleaseAsync(this).ConfigureAwait(false);
        // Leave the catalog before waiters are released, so that their retry creates a fresh activation.
        Catalog.Remove(this);
        lock (_gate)
        {
            _gone = true;
            _grain = null;
        }

        LogDeactivated(Catalog.Logger, Id, reason);
        _deactivated.TrySetResult();
    }

    private async Task DisposeAsync(Grain? grain, AsyncServiceScope scope)
    {
        try
        {
            switch (grain)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }

            await scope.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Disposal failures are logged; the activation is gone either way.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogDisposeFailed(Catalog.Logger, Id, exception);
        }
    }
}
