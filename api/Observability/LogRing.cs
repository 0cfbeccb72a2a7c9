namespace ModelRunner.Api.Observability;

/// <summary>The server's last log lines (2,000) for <c>/logs</c>, and followers of new ones. Thread-safe.</summary>
public sealed class LogRing
{
    private const int Capacity = 2000;

    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly Followers<string> _followers = new(Capacity);

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }

            _followers.Publish(line);
        }
    }

    /// <summary>The lines kept so far, then (with <paramref name="follow"/>) each new one until cancelled.</summary>
    public async IAsyncEnumerable<string> ReadAsync(bool follow, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Snapshot and subscription under one lock, so no line is missed or seen twice.
        string[] kept;
        Followers<string>.Subscription? subscription = null;
        lock (_gate)
        {
            kept = [.. _lines];
            if (follow)
            {
                subscription = _followers.Subscribe();
            }
        }

        using (subscription)
        {
            foreach (var line in kept)
            {
                yield return line;
            }

            if (subscription is null)
            {
                yield break;
            }

            await foreach (var line in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
    }
}
