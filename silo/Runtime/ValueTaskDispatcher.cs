using System.Reflection;

namespace ModelRunner.Silo.Runtime;

/// <summary>A method returning <see cref="ValueTask"/>: the call holds the activation until it completes.</summary>
internal sealed class ValueTaskDispatcher(MethodInfo method) : MethodDispatcher(method)
{
    private readonly Func<object, object?[], ValueTask> _call = Compile<Func<object, object?[], ValueTask>>(method);

    public override object Invoke(GrainReference target, object?[] arguments) => new ValueTask(InvokeAsync(target, arguments));

    private async Task InvokeAsync(GrainReference target, object?[] arguments)
    {
        var activation = await target.EnterAsync(Interleave, CancellationOf(arguments)).ConfigureAwait(false);
        try
        {
            await _call(activation.Grain, arguments).ConfigureAwait(false);
        }
        finally
        {
            activation.Exit(holdsTurn: !Interleave);
        }
    }
}
