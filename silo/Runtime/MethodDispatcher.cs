using System.Linq.Expressions;
using System.Reflection;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// Carries calls of one grain interface method from a reference into an activation. Built once
/// per method (a compiled delegate calls the grain, so a call costs no reflection); a subclass
/// per return shape decides how long the call holds the activation: until the task completes,
/// or until the stream's enumeration ends or is disposed.
/// </summary>
internal abstract class MethodDispatcher
{
    private readonly int _cancellationTokenIndex;

    protected MethodDispatcher(MethodInfo method)
    {
        Method = method;
        Interleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: false);
        _cancellationTokenIndex = Array.FindIndex(method.GetParameters(), parameter => parameter.ParameterType == typeof(CancellationToken));
    }

    public MethodInfo Method { get; }

    /// <summary>Calls run without taking the activation's turn.</summary>
    public bool Interleave { get; }

    /// <summary>Starts the call; returns what the interface method returns (a task, a value task or a stream).</summary>
    public abstract object Invoke(GrainReference target, object?[] arguments);

    /// <summary>A dispatcher for <paramref name="method"/>, or null with the reason it cannot be a grain method.</summary>
    public static MethodDispatcher? TryCreate(MethodInfo method, out string? problem)
    {
        problem = null;
        if (method.IsGenericMethodDefinition)
        {
            problem = "is generic";
            return null;
        }

        if (method.GetParameters().Any(parameter => parameter.ParameterType.IsByRef))
        {
            problem = "has a ref, in or out parameter";
            return null;
        }

        var returns = method.ReturnType;
        var shape = returns.IsGenericType ? returns.GetGenericTypeDefinition() : returns;
        var dispatcherType =
            shape == typeof(Task) ? typeof(TaskDispatcher)
            : shape == typeof(ValueTask) ? typeof(ValueTaskDispatcher)
            : shape == typeof(Task<>) ? typeof(TaskDispatcher<>).MakeGenericType(returns.GenericTypeArguments)
            : shape == typeof(ValueTask<>) ? typeof(ValueTaskDispatcher<>).MakeGenericType(returns.GenericTypeArguments)
            : shape == typeof(IAsyncEnumerable<>) ? typeof(AsyncEnumerableDispatcher<>).MakeGenericType(returns.GenericTypeArguments)
            : null;
        if (dispatcherType is null)
        {
            problem = $"returns {returns.Name}; grain methods return Task, Task<T>, ValueTask, ValueTask<T> or IAsyncEnumerable<T>";
            return null;
        }

        return (MethodDispatcher)Activator.CreateInstance(dispatcherType, method)!;
    }

    /// <summary>The caller's token, when the method takes one: it also bounds the wait to get in.</summary>
    protected CancellationToken CancellationOf(object?[] arguments) =>
        _cancellationTokenIndex < 0 ? default : (CancellationToken)arguments[_cancellationTokenIndex]!;

    /// <summary>Compiles <c>(grain, args) =&gt; ((TInterface)grain).Method((T0)args[0], …)</c>.</summary>
    protected static TDelegate Compile<TDelegate>(MethodInfo method)
        where TDelegate : Delegate
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters()
            .Select((parameter, index) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(index)), parameter.ParameterType));
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, parameters);
        return Expression.Lambda<TDelegate>(call, grain, arguments).Compile();
    }
}
