using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

/// <summary>A grain interface checked and with a dispatcher per method (its own and inherited ones). Built once per interface per process.</summary>
internal sealed class GrainInterfaceMetadata
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceMetadata> Cache = new();

    private GrainInterfaceMetadata(Type grainInterface, FrozenDictionary<MethodInfo, MethodDispatcher> dispatchers)
    {
        Interface = grainInterface;
        Dispatchers = dispatchers;
    }

    public Type Interface { get; }

    public FrozenDictionary<MethodInfo, MethodDispatcher> Dispatchers { get; }

    /// <exception cref="ArgumentException">The interface is not a grain interface or has a method that cannot be a grain method (all are named).</exception>
    public static GrainInterfaceMetadata For(Type grainInterface) => Cache.GetOrAdd(grainInterface, Build);

    private static GrainInterfaceMetadata Build(Type grainInterface)
    {
        if (!grainInterface.IsInterface || !typeof(IGrainWithStringKey).IsAssignableFrom(grainInterface) || grainInterface.ContainsGenericParameters)
        {
            throw new ArgumentException($"{grainInterface.Name} is not a grain interface: it must be a (closed) interface extending IGrainWithStringKey.", nameof(grainInterface));
        }

        var dispatchers = new Dictionary<MethodInfo, MethodDispatcher>();
        var problems = new List<string>();
        foreach (var method in grainInterface.GetInterfaces().Append(grainInterface).SelectMany(type => type.GetMethods()))
        {
            if (MethodDispatcher.TryCreate(method, out var problem) is { } dispatcher)
            {
                dispatchers[method] = dispatcher;
            }
            else
            {
                problems.Add($"{method.DeclaringType!.Name}.{method.Name} {problem}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"{grainInterface.Name} cannot be a grain interface: {string.Join("; ", problems)}.", nameof(grainInterface));
        }

        return new GrainInterfaceMetadata(grainInterface, dispatchers.ToFrozenDictionary());
    }
}
