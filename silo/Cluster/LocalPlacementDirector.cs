using Orleans.Runtime.Placement;

namespace ModelRunner.Silo.Cluster;

/// <summary>The stand-in director for <see cref="StoreLocalityPlacement"/> on a single node: here.</summary>
internal sealed class LocalPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var compatible = context.GetCompatibleSilos(target);
        return Task.FromResult(compatible.Contains(context.LocalSilo) ? context.LocalSilo : compatible[0]);
    }
}
