using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Grains.Pulls;

/// <inheritdoc cref="IPullGrain"/>
[CollectionAgeLimit(Minutes = 2)]
public sealed class PullGrain(IModelDistribution distribution) : Grain, IPullGrain, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Channel<PullProgress>> _watchers = [];
    private CancellationTokenSource? _running;
    private PullProgress? _latest;

    public async IAsyncEnumerable<PullProgress> PullAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var watcher = Channel.CreateUnbounded<PullProgress>(new UnboundedChannelOptions { SingleReader = true });
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
            await foreach (var progress in watcher.Reader.ReadAllAsync(cancellationToken))
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

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _running?.Cancel();
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var progress in distribution.PullAsync(this.GetPrimaryKeyString(), cancellationToken: cancellationToken))
            {
                lock (_gate)
                {
                    _latest = Contract(progress);
                    foreach (var watcher in _watchers)
                    {
                        watcher.Writer.TryWrite(_latest);
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
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _running?.Dispose();
            _running = null;
        }
    }

    private static PullProgress Contract(TransferEvent transfer) => new(
        (PullProgressKind)transfer.Kind,
        transfer.Message,
        transfer.Total,
        transfer.Completed,
        transfer.Layer is { } layer ? new PullLayer(layer.Digest, layer.MediaType, layer.Size, layer.Current) : null,
        transfer.Model?.Id);
}
