using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ModelRunner.Distribution.Transfer;

/// <summary>
/// Runs at most one operation per key and lets every caller with that key follow it: a second pull of a reference
/// that is already being pulled attaches to the running download (and first sees where each layer stands) instead
/// of starting another. The operation is cancelled only when every follower has gone. Thread-safe.
/// </summary>
internal sealed class SharedTransfers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SharedTransfer> _running = new(StringComparer.Ordinal);

    /// <summary>How many operations were started (not joined): what tests count to prove a download was shared.</summary>
    public int Started { get; private set; }

    public async IAsyncEnumerable<TransferEvent> RunAsync(
        string key,
        Func<Action<TransferEvent>, CancellationToken, Task> operation,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SharedTransfer transfer;
        ChannelReader<TransferEvent>? reader;
        lock (_gate)
        {
            if (!_running.TryGetValue(key, out transfer!) || !transfer.TrySubscribe(out reader))
            {
                transfer = new SharedTransfer();
                transfer.TrySubscribe(out reader);
                _running[key] = transfer;
                Started++;
                var started = transfer;
                transfer.Start(operation, () =>
                {
                    lock (_gate)
                    {
                        if (_running.TryGetValue(key, out var current) && current == started)
                        {
                            _running.Remove(key);
                        }
                    }
                });
            }
        }

        try
        {
            await foreach (var item in reader!.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            // The events are all read; now the outcome: this rethrows the operation's failure, if any.
            await transfer.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            transfer.Unsubscribe(reader!);
        }
    }

    // The cancellation source is disposed when the operation ends (see Start), which is its whole lifetime.
#pragma warning disable CA1001
    private sealed class SharedTransfer
#pragma warning restore CA1001
    {
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _cancellation = new();
        private readonly List<Channel<TransferEvent>> _subscribers = [];

        // What a late joiner needs to see first: the latest status and where each layer stands.
        private readonly Dictionary<string, TransferEvent> _layers = new(StringComparer.Ordinal);
        private TransferEvent? _status;
        private bool _finished;

        public Task Completion { get; private set; } = Task.CompletedTask;

        public void Start(Func<Action<TransferEvent>, CancellationToken, Task> operation, Action removeFromRunning)
        {
            Completion = Task.Run(async () =>
            {
                try
                {
                    await operation(Publish, _cancellation.Token).ConfigureAwait(false);
                }
                finally
                {
                    removeFromRunning();
                    Finish();
                    _cancellation.Dispose();
                }
            });

            // Followers that left early never await the outcome; mark a failure observed so it is not reported twice.
            _ = Completion.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        public bool TrySubscribe(out ChannelReader<TransferEvent>? reader)
        {
            lock (_gate)
            {
                reader = null;
                if (_finished || _cancellation.IsCancellationRequested)
                {
                    return false;
                }

                var channel = Channel.CreateUnbounded<TransferEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                if (_status is not null)
                {
                    channel.Writer.TryWrite(_status);
                }

                foreach (var layer in _layers.Values)
                {
                    channel.Writer.TryWrite(layer);
                }

                _subscribers.Add(channel);
                reader = channel.Reader;
                return true;
            }
        }

        public void Unsubscribe(ChannelReader<TransferEvent> reader)
        {
            lock (_gate)
            {
                _subscribers.RemoveAll(c => c.Reader == reader);
                if (_subscribers.Count == 0 && !_finished)
                {
                    _cancellation.Cancel();
                }
            }
        }

        private void Publish(TransferEvent item)
        {
            lock (_gate)
            {
                if (item.Layer is { } layer)
                {
                    _layers[layer.Digest] = item;
                }
                else if (item.Kind == TransferEventKind.Status)
                {
                    _status = item;
                }

                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(item);
                }
            }
        }

        private void Finish()
        {
            lock (_gate)
            {
                _finished = true;
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryComplete();
                }
            }
        }
    }
}
