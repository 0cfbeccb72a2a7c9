using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

internal sealed class GrainFactory(GrainTypeRegistry registry, ActivationCatalog catalog) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var binding = registry.Resolve(typeof(TGrainInterface));
        return GrainProxy.Create<TGrainInterface>(new GrainReference(catalog, binding.GrainClass, binding.Interface, key));
    }
}
