using System.Reflection;
using System.Runtime.CompilerServices;

namespace ModelRunner.Silo.Runtime;

/// <summary>
/// A method returning <see cref="IAsyncEnumerable{T}"/>. Like the stream it wraps, nothing
/// happens until enumeration starts; from then until the enumeration ends or is disposed the
/// activation is busy (never collected), and a non-interleaving stream holds the turn. Items are
/// passed on as the grain yields them.
/// </summary>
internal sealed class AsyncEnumerableDispatcher<T>(MethodInfo method) : MethodDispatcher(method)
{
    private readonly Func<object, object?[], IAsyncEnumerable<T>> _call = Compile<Func<object, object?[], IAsyncEnumerable<T>>>(method);

    public override object Invoke(GrainReference target, object?[] arguments) => InvokeAsync(target, arguments);

    private async IAsyncEnumerable<T> InvokeAsync(GrainReference target, object?[] arguments, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The stream may be cancelled through the method's own token or through WithCancellation.
        var argumentToken = CancellationOf(arguments);
        using var linked = argumentToken.CanBeCanceled && cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(argumentToken, cancellationToken)
            : null;
        var token = linked?.Token ?? (cancellationToken.CanBeCanceled ? cancellationToken : argumentToken);

        var activation = await target.EnterAsync(Interleave, token).ConfigureAwait(false);
        try
        {
            await foreach (var item in _call(activation.Grain, arguments).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            activation.Exit(holdsTurn: !Interleave);
        }
    }
}
