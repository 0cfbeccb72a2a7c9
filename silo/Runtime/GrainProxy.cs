using System.Reflection;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// The object <see cref="IGrainFactory.GetGrain{TGrainInterface}"/> returns: a
/// <see cref="DispatchProxy"/> implementing the grain interface, whose every call is one
/// dictionary lookup for the method's dispatcher. Equal to any other reference to the same grain.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives from this class at run time, so it cannot be sealed.
internal class GrainProxy : DispatchProxy
#pragma warning restore CA1852
{
    private GrainReference? _reference;

    public static TGrainInterface Create<TGrainInterface>(GrainReference reference)
        where TGrainInterface : IGrainWithStringKey
    {
        var proxy = Create<TGrainInterface, GrainProxy>();
        ((GrainProxy)(object)proxy)._reference = reference;
        return proxy;
    }

    public override bool Equals(object? obj) => obj is GrainProxy other && other.Reference.GrainId == Reference.GrainId;

    public override int GetHashCode() => Reference.GrainId.GetHashCode();

    public override string ToString() => Reference.GrainId.ToString();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var reference = Reference;
        if (!reference.Interface.Dispatchers.TryGetValue(targetMethod, out var dispatcher))
        {
            throw new NotSupportedException($"{targetMethod.DeclaringType?.Name}.{targetMethod.Name} is not a method of grain interface {reference.Interface.Interface.Name}.");
        }

        return dispatcher.Invoke(reference, args ?? []);
    }

    private GrainReference Reference => _reference ?? throw new InvalidOperationException("This grain proxy was not created by the grain factory.");
}
