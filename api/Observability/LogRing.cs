using System.Threading.Channels;

namespace ModelRunner.Api.Observability;

/// <summary>The server's last log lines (2,000) for <c>/logs</c>, and followers of new ones. Thread-safe.</summary>
public sealed class LogRing
{
    private const int Capacity = 2000;

    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly List<Channel<string>> _followers = [];

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }

            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>The lines kept so far, then (with <paramref name="follow"/>) each new one until cancelled.</summary>
    public async IAsyncEnumerable<string> ReadAsync(bool follow, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        string[] kept;
        lock (_gate)
        {
            kept = [.. _lines];
            if (follow)
            {
                _followers.Add(channel);
            }
        }

        foreach (var line in kept)
        {
            yield return line;
        }

        if (!follow)
        {
            yield break;
        }

        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            lock (_gate)
            {
                _followers.Remove(channel);
            }
        }
    }
}
