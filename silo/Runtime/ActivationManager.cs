using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Cluster;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

internal sealed class ActivationManager(GrainTypeRegistry registry, ActivationCatalog catalog) : IActivationManager
{
    public IReadOnlyList<ActivationInfo> GetActivations() =>
        [.. catalog.Activations.Select(activation => activation.Snapshot()).OfType<ActivationInfo>()];

    public IReadOnlyList<ActivationInfo> GetActivations<TGrainInterface>()
        where TGrainInterface : IGrainWithStringKey
    {
        var grainClass = registry.Resolve(typeof(TGrainInterface)).GrainClass;
        return [.. catalog.Activations.Where(activation => activation.GrainClass == grainClass).Select(activation => activation.Snapshot()).OfType<ActivationInfo>()];
    }

    public async Task<bool> TryDeactivateAsync<TGrainInterface>(string key, DeactivationReason reason, bool includePinned = false, CancellationToken cancellationToken = default)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var grainClass = registry.Resolve(typeof(TGrainInterface)).GrainClass;
        return catalog.TryGet(new GrainId(grainClass.Name, key), out var activation)
            && await activation.TryDeactivateAsync(reason, includePinned, cancellationToken).ConfigureAwait(false);
    }
}
