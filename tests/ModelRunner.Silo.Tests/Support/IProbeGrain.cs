using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Tests.Support;

/// <summary>A grain whose every call reports to the <see cref="Probe"/>; tasks passed in act as gates the test opens.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>The activation's id (new for every activation).</summary>
    Task<string> PingAsync();

    /// <summary>Holds the turn until <paramref name="release"/> completes.</summary>
    Task HoldAsync(Task release, CancellationToken cancellationToken);

    /// <summary>Yields a few times between entering and leaving, so overlapping calls would show.</summary>
    Task WorkAsync();

    [AlwaysInterleave]
    Task<string> PeekAsync();

    [AlwaysInterleave]
    Task HoldInterleavedAsync(Task release);

    /// <summary>Yields 0, waits for <paramref name="release"/>, then yields 1 … count-1.</summary>
    IAsyncEnumerable<int> CountAsync(int count, Task release, CancellationToken cancellationToken);

    [AlwaysInterleave]
    IAsyncEnumerable<int> CountInterleavedAsync(int count, Task release, CancellationToken cancellationToken);

    Task SetKeepAliveAsync(TimeSpan keepAlive);

    Task DelayDeactivationAsync(TimeSpan timeSpan);

    Task DeactivateOnIdleAsync();

    ValueTask<int> AddAsync(int a, int b);

    ValueTask TouchAsync();
}
