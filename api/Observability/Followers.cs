using System.Threading.Channels;

namespace ModelRunner.Api.Observability;

/// <summary>
/// Live readers of a stream of items (log lines, request records): each subscription receives
/// every item published after it began, through a bounded buffer that drops its oldest items when
/// its reader falls behind, until it is disposed. Thread-safe.
/// </summary>
internal sealed class Followers<T>(int capacity)
{
    private readonly Lock _gate = new();
    private readonly List<Channel<T>> _channels = [];

    public void Publish(T item)
    {
        lock (_gate)
        {
            foreach (var channel in _channels)
            {
                channel.Writer.TryWrite(item);
            }
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _channels.Add(channel);
        }

        return new Subscription(this, channel);
    }

    /// <summary>One reader's place in the stream; disposing it stops the items.</summary>
    public sealed class Subscription(Followers<T> followers, Channel<T> channel) : IDisposable
    {
        public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) => channel.Reader.ReadAllAsync(cancellationToken);

        public void Dispose()
        {
            lock (followers._gate)
            {
                followers._channels.Remove(channel);
            }
        }
    }
}
