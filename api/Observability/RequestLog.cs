using System.Threading.Channels;

namespace ModelRunner.Api.Observability;

/// <summary>
/// The most recent inference requests of each model (100 per model, oldest dropped), and live
/// followers that receive each new one. Thread-safe.
/// </summary>
public sealed class RequestLog
{
    private const int PerModel = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<RequestRecord>> _byModel = new(StringComparer.Ordinal);
    private readonly List<Channel<RequestRecord>> _followers = [];

    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!_byModel.TryGetValue(record.Model, out var records))
            {
                _byModel[record.Model] = records = new Queue<RequestRecord>();
            }

            records.Enqueue(record);
            while (records.Count > PerModel)
            {
                records.Dequeue();
            }

            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(record);
            }
        }
    }

    /// <summary>Recent requests, oldest first; of one model when <paramref name="model"/> is set.</summary>
    public IReadOnlyList<RequestRecord> Recent(string? model = null)
    {
        lock (_gate)
        {
            return [.. _byModel.Where(pair => model is null || pair.Key == model).SelectMany(pair => pair.Value).OrderBy(record => record.Timestamp)];
        }
    }

    /// <summary>Each request recorded from now on, until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<RequestRecord> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RequestRecord>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _followers.Add(channel);
        }

        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return record;
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
