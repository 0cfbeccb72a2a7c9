using System.Reflection;

namespace ModelRunner.Silo.Runtime;

/// <summary>A method returning <see cref="ValueTask{TResult}"/>: the call holds the activation until it completes.</summary>
internal sealed class ValueTaskDispatcher<T>(MethodInfo method) : MethodDispatcher(method)
{
    private readonly Func<object, object?[], ValueTask<T>> _call = Compile<Func<object, object?[], ValueTask<T>>>(method);

    public override object Invoke(GrainReference target, object?[] arguments) => new ValueTask<T>(InvokeAsync(target, arguments));

    private async Task<T> InvokeAsync(GrainReference target, object?[] arguments)
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
