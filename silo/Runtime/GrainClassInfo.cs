using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Silo.Runtime;

/// <summary>A registered grain class: its type name, default keep-alive, and a cached constructor.</summary>
internal sealed class GrainClassInfo(string name, Type grainClass, TimeSpan keepAlive)
{
    public string Name { get; } = name;

    public Type Class { get; } = grainClass;

    public TimeSpan KeepAlive { get; } = keepAlive;

    // Built once: creating an activation then costs no constructor lookup.
    public ObjectFactory Factory { get; } = ActivatorUtilities.CreateFactory(grainClass, Type.EmptyTypes);
}
