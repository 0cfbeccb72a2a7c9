namespace ModelRunner.Silo.Cluster;

/// <summary>
/// Places a grain on a node whose local store holds the data its key names (a model's files),
/// preferring the one with the most free memory. The director that knows stores and memory is
/// registered by the host; until one is, the grain is placed where it is first called.
/// </summary>
[GenerateSerializer, Immutable, Alias("modelrunner.store-locality-placement")]
public sealed class StoreLocalityPlacement : PlacementStrategy
{
    public static StoreLocalityPlacement Instance { get; } = new();
}
