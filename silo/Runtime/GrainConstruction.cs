using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// Tells <see cref="Grain"/>'s constructor which activation it belongs to. Grain classes take
/// only their own dependencies in their constructors, so the activation is handed over on the
/// side: construction is synchronous, so a thread-static set around it is enough.
/// </summary>
internal static class GrainConstruction
{
    [ThreadStatic]
    private static Activation? _current;

    public static Activation? Current => _current;

    public static Grain Create(Activation activation, IServiceProvider services)
    {
        var previous = _current;
        _current = activation;
        try
        {
            return (Grain)activation.GrainClass.Factory(services, null);
        }
        finally
        {
            _current = previous;
        }
    }
}
