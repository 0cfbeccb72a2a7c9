using ModelRunner.Silo.Cluster;

namespace ModelRunner.Silo.Runtime;

/// <summary>What a grain proxy points at: the grain (class and key) and the catalog that runs it.</summary>
internal sealed class GrainReference(ActivationCatalog catalog, GrainClassInfo grainClass, GrainInterfaceMetadata grainInterface, string key)
{
    public GrainId GrainId { get; } = new(grainClass.Name, key);

    public GrainInterfaceMetadata Interface { get; } = grainInterface;

    public Task<Activation> EnterAsync(bool interleave, CancellationToken cancellationToken) =>
        catalog.EnterAsync(grainClass, GrainId.Key, interleave, cancellationToken);
}
