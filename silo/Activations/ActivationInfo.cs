namespace ModelRunner.Silo.Activations;

/// <summary>A snapshot of one activation, taken atomically; it may be stale as soon as it is returned.</summary>
/// <param name="GrainType">The grain type's registered name.</param>
/// <param name="GrainClass">The grain class.</param>
/// <param name="Key">The grain's key.</param>
/// <param name="Status">Where the activation is in its life.</param>
/// <param name="RunningCalls">Calls entered and not yet finished (running, waiting for the turn, or streams being enumerated).</param>
/// <param name="CreatedAt">When the activation was created (its first call arrived).</param>
/// <param name="LastUsedAt">When a call last started or ended; the order for least-recently-used eviction.</param>
/// <param name="IdleSince">When the last call ended, while none is running; null while busy.</param>
/// <param name="KeepAlive">The idle time after which it is collected (<see cref="Timeout.InfiniteTimeSpan"/>: never).</param>
/// <param name="DelayedUntil">Set by <c>DelayDeactivation</c>: not collected before then (<see cref="DateTimeOffset.MaxValue"/>: pinned).</param>
/// <param name="DeactivationRequested">It deactivates as soon as its running calls end.</param>
public sealed record ActivationInfo(
    string GrainType,
    Type GrainClass,
    string Key,
    ActivationStatus Status,
    int RunningCalls,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset? IdleSince,
    TimeSpan KeepAlive,
    DateTimeOffset? DelayedUntil,
    bool DeactivationRequested)
{
    /// <summary>A call is running (or waiting for its turn, or a stream is open): never deactivated now.</summary>
    public bool IsBusy => RunningCalls > 0;

    /// <summary>Never collected: infinite keep-alive or an infinite <c>DelayDeactivation</c>.</summary>
    public bool IsPinned => KeepAlive == Timeout.InfiniteTimeSpan || DelayedUntil == DateTimeOffset.MaxValue;

    /// <summary>
    /// When the collector will deactivate it if nothing calls it before (to within
    /// <c>SiloOptions.CollectionInterval</c>); null while busy, pinned, or not active.
    /// </summary>
    public DateTimeOffset? ExpiresAt
    {
        get
        {
            if (Status != ActivationStatus.Active || IdleSince is not { } idleSince || IsPinned)
            {
                return null;
            }

            var expires = KeepAlive > DateTimeOffset.MaxValue - idleSince ? DateTimeOffset.MaxValue : idleSince + KeepAlive;
            return DelayedUntil is { } until && until > expires ? until : expires;
        }
    }
}
