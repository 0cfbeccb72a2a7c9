using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// Every registered grain interface with the class that serves it. Built once from the
/// <c>AddGrain</c> calls; conflicting registrations fail here, at silo start, with a message that
/// names both sides. Thread-safe (immutable).
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly FrozenDictionary<Type, GrainBinding> _bindings;

    /// <exception cref="InvalidOperationException">Two registrations conflict.</exception>
    public GrainTypeRegistry(IEnumerable<GrainRegistration> registrations, IOptions<SiloOptions> options)
    {
        var all = registrations.ToList();
        var classes = new Dictionary<Type, GrainClassInfo>();
        var names = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var group in all.GroupBy(registration => registration.GrainClass))
        {
            // A class registered for several interfaces is one grain type: its settings must agree.
            var name = Single(group.Select(registration => registration.Name), group.Key, "Name") ?? GrainRegistration.DefaultName(group.Key);
            var keepAlive = Single(group.Select(registration => registration.KeepAlive), group.Key, "KeepAlive") ?? options.Value.DefaultKeepAlive;
            if (names.TryGetValue(name, out var other))
            {
                throw new InvalidOperationException($"Grain classes {other.FullName} and {group.Key.FullName} both have the grain type name '{name}'; give one another GrainTypeOptions.Name.");
            }

            names.Add(name, group.Key);
            classes.Add(group.Key, new GrainClassInfo(name, group.Key, keepAlive));
        }

        var bindings = new Dictionary<Type, GrainBinding>();
        foreach (var registration in all)
        {
            var grainClass = classes[registration.GrainClass];
            if (bindings.TryGetValue(registration.Interface, out var existing) && existing.GrainClass != grainClass)
            {
                throw new InvalidOperationException($"Grain interface {registration.Interface.Name} is registered for both {existing.GrainClass.Class.FullName} and {registration.GrainClass.FullName}; one interface has one grain class.");
            }

            bindings[registration.Interface] = new GrainBinding(GrainInterfaceMetadata.For(registration.Interface), grainClass);
        }

        _bindings = bindings.ToFrozenDictionary();
        Classes = [.. classes.Values];
    }

    public IReadOnlyList<GrainClassInfo> Classes { get; }

    /// <exception cref="InvalidOperationException">No grain class is registered for <paramref name="grainInterface"/>.</exception>
    public GrainBinding Resolve(Type grainInterface) =>
        _bindings.TryGetValue(grainInterface, out var binding)
            ? binding
            : throw new InvalidOperationException($"No grain class is registered for {grainInterface.Name}; register one with services.AddSilo().AddGrain<{grainInterface.Name}, TGrain>().");

    private static T? Single<T>(IEnumerable<T?> values, Type grainClass, string setting)
    {
        var given = values.Where(value => value is not null).Distinct().ToList();
        return given.Count <= 1
            ? given.SingleOrDefault()
            : throw new InvalidOperationException($"Grain class {grainClass.FullName} is registered with different GrainTypeOptions.{setting} values ({string.Join(", ", given)}); a class is one grain type.");
    }
}
