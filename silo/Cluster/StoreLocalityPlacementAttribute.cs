using Orleans.Placement;

namespace ModelRunner.Silo.Cluster;

/// <summary>Marks a grain class for <see cref="StoreLocalityPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class StoreLocalityPlacementAttribute() : PlacementAttribute(StoreLocalityPlacement.Instance);
