using System.Reflection;

namespace ModelRunner.Silo.Runtime;

/// <summary>A method returning <see cref="Task{TResult}"/>: the call holds the activation until the task completes.</summary>
internal sealed class TaskDispatcher<T>(MethodInfo method) : MethodDispatcher(method)
{
    private readonly Func<object, object?[], Task<T>> _call = Compile<Func<object, object?[], Task<T>>>(method);

    public override object Invoke(GrainReference target, object?[] arguments) => InvokeAsync(target, arguments);

    internal async Task<T> InvokeAsync(GrainReference target, object?[] arguments)
    {
        var activation = await target.EnterAsync(Interleave, CancellationOf(arguments)).ConfigureAwait(false);
        try
        {
            return await _call(activation.Grain, arguments).ConfigureAwait(false);
        }
        finally
        {
            activation.Exit(holdsTurn: !Interleave);
        }
    }
}
