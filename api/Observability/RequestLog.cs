namespace ModelRunner.Api.Observability;

/// <summary>
/// The most recent inference requests of each model (100 per model, oldest dropped), and live
/// followers that receive each new one. Requests are recorded under the model name the client
/// sent, before it is known to exist, so at most 64 names are kept: a new one pushes out the name
/// whose last request is oldest (a client naming a new model per request must not grow the log
/// without end). Thread-safe.
/// </summary>
public sealed class RequestLog
{
    private const int PerModel = 100;
    private const int Models = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<RequestRecord>> _byModel = new(StringComparer.Ordinal);
    private readonly Followers<RequestRecord> _followers = new(1000);

    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!_byModel.TryGetValue(record.Model, out var records))
            {
                if (_byModel.Count >= Models)
                {
                    _byModel.Remove(_byModel.MinBy(pair => pair.Value.Last().Timestamp).Key);
                }

                _byModel[record.Model] = records = new Queue<RequestRecord>();
            }

            records.Enqueue(record);
            while (records.Count > PerModel)
            {
                records.Dequeue();
            }

            _followers.Publish(record);
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
        using var subscription = _followers.Subscribe();
        await foreach (var record in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }
}
