namespace ModelRunner.Silo.Cluster;

/// <summary>Places every grain on this silo.</summary>
internal sealed class LocalPlacementDirector(ILocalSiloDetails localSilo) : IPlacementDirector
{
    public Task<SiloAddress> PlaceAsync(GrainId grainId, CancellationToken cancellationToken) => Task.FromResult(localSilo.Address);
}
