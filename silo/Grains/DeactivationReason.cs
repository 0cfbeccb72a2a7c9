namespace ModelRunner.Silo.Grains;

/// <summary>Why an activation is being deactivated; passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public enum DeactivationReason
{
    /// <summary>Idle for longer than its keep-alive; found by the collector.</summary>
    IdleTimeout,

    /// <summary>The grain called <see cref="Grain.DeactivateOnIdle"/>.</summary>
    DeactivateOnIdle,

    /// <summary>A resource manager evicted it to make room (e.g. memory for another model).</summary>
    ResourcePressure,

    /// <summary>Someone outside the grain asked for it (e.g. an explicit unload).</summary>
    ExternalRequest,

    /// <summary>The silo is shutting down.</summary>
    Shutdown,
}
