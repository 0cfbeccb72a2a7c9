namespace ModelRunner.Silo.Cluster;

/// <summary>
/// The grain belongs on another silo (its directory entry or its placement names another one),
/// so this silo does not activate it. In a cluster the API host forwards the request to
/// <see cref="Silo"/>.
/// </summary>
public sealed class GrainNotLocalException(GrainId grainId, SiloAddress silo)
    : InvalidOperationException($"Grain {grainId} belongs on silo {silo}, not on this one.")
{
    /// <summary>The grain that was called.</summary>
    public GrainId GrainId { get; } = grainId;

    /// <summary>The silo that owns it.</summary>
    public SiloAddress Silo { get; } = silo;
}
