namespace ModelRunner.Silo.Tests.Support;

/// <summary>
/// What the test grains report to their test: lifecycle events, how many calls overlapped, and
/// switches that make activations fail or wait. Thread-safe. Waits have a deadline and fail
/// saying what never happened.
/// </summary>
public sealed class Probe
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly List<ProbeEvent> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;
    private int _maxInside;
    private int _failActivations;

    /// <summary>When set, OnActivateAsync waits for it.</summary>
    public Task? ActivationGate { get; set; }

    /// <summary>When set, OnDeactivateAsync waits for it.</summary>
    public Task? DeactivationGate { get; set; }

    public int MaxConcurrent => Volatile.Read(ref _maxInside);

    public IReadOnlyList<ProbeEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Makes the next <paramref name="count"/> activations throw <see cref="ActivationFailedOnPurposeException"/>.</summary>
    public void FailActivations(int count) => Volatile.Write(ref _failActivations, count);

    public bool TakeActivationFailure() => Interlocked.Decrement(ref _failActivations) >= 0;

    public void Record(string kind, string key, string? detail = null)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _events.Add(new ProbeEvent(kind, key, detail));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public int Count(string kind, string? key = null) => Events.Count(e => e.Kind == kind && (key is null || e.Key == key));

    public void Enter()
    {
        var inside = Interlocked.Increment(ref _inside);
        int max;
        while (inside > (max = Volatile.Read(ref _maxInside)) && Interlocked.CompareExchange(ref _maxInside, inside, max) != max)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _inside);

    /// <summary>Waits until an event matching <paramref name="match"/> is recorded (or already was).</summary>
    public async Task<ProbeEvent> WaitForAsync(Func<ProbeEvent, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_events.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}; recorded: {string.Join(", ", Events)}");
            }
        }
    }

    public Task<ProbeEvent> WaitForAsync(string kind, string key, string? detail = null) =>
        WaitForAsync(e => e.Kind == kind && e.Key == key && (detail is null || e.Detail == detail), $"'{kind}' of {key}{(detail is null ? "" : $" ({detail})")}");
}
