namespace ModelRunner.Silo.Cluster;

/// <summary>
/// Maps each grain to its one activation in the cluster. The silo registers an activation before
/// it runs <c>OnActivateAsync</c> and unregisters it after deactivation. Implementations are
/// thread-safe: in memory for a single node (the default), a shared table for a cluster, where
/// registration is an atomic insert-if-absent.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>
    /// Registers <paramref name="address"/> unless the grain already has one; returns the address
    /// that holds the grain afterwards: <paramref name="address"/> itself when it won, else the
    /// existing one.
    /// </summary>
    Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>The address registered for <paramref name="grainId"/>, or null if none.</summary>
    Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Removes the entry if it is exactly <paramref name="address"/> (same activation); otherwise does nothing.</summary>
    Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken);
}
