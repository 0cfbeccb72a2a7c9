namespace ModelRunner.Silo.Cluster;

/// <summary>
/// Chooses the silo on which a grain that has no activation yet is activated. Thread-safe. The
/// single-node default always answers the local silo; a cluster's director weighs where the
/// grain's model is loaded and free memory.
/// </summary>
public interface IPlacementDirector
{
    /// <summary>The silo that should activate <paramref name="grainId"/>.</summary>
    Task<SiloAddress> PlaceAsync(GrainId grainId, CancellationToken cancellationToken);
}
