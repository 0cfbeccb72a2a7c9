namespace ModelRunner.Silo.Hosting;

/// <summary>Settings of one grain type, given to <c>AddGrain</c>; checked when it is called.</summary>
public sealed class GrainTypeOptions
{
    /// <summary>
    /// The grain type's name: part of every grain id (and a natural storage name for its state).
    /// Default: the class name without a <c>Grain</c> suffix, lower case (<c>ModelGrain</c> →
    /// <c>model</c>). Must not be blank or contain '/'.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Idle time before an activation of this type is collected, e.g. 5 minutes for model grains.
    /// Default (null): <see cref="SiloOptions.DefaultKeepAlive"/>. ≥ 0, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> for never. A grain can change its own at run time.
    /// </summary>
    public TimeSpan? KeepAlive { get; set; }
}
