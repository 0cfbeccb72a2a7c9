using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Grains.Pulls;

/// <inheritdoc cref="IPullGrain"/>
public sealed class PullGrain(IModelDistribution distribution) : Grain, IPullGrain, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Channel<TransferEvent>> _watchers = [];
    private CancellationTokenSource? _running;
    private TransferEvent? _latest;

    public async IAsyncEnumerable<TransferEvent> PullAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var watcher = Channel.CreateUnbounded<TransferEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _watchers.Add(watcher);
            if (_latest is { } latest)
            {
                watcher.Writer.TryWrite(latest);
            }

            if (_running is null)
            {
                _running = new CancellationTokenSource();
                _ = Task.Run(() => RunAsync(_running.Token), CancellationToken.None);
            }
        }

        try
        {
            await foreach (var progress in watcher.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return progress;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
                if (_watchers.Count == 0)
                {
                    _running?.Cancel();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _running?.Cancel();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var progress in distribution.PullAsync(Key, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _latest = progress;
                    foreach (var watcher in _watchers)
                    {
                        watcher.Writer.TryWrite(progress);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete(failure);
            }

            _watchers.Clear();
            _latest = null;
            _running?.Dispose();
            _running = null;
        }

        // A finished pull keeps nothing worth an activation.
        DeactivateOnIdle();
    }
}
