namespace ModelRunner.Silo.Tests.Runtime;

public sealed class StreamingTests
{
    [Fact]
    public async Task Stream_ItemsFlowWhileTheGrainIsStillProducing()
    {
        await using var silo = await TestSilo.StartAsync();
        var release = new TaskCompletionSource();

        await using var items = silo.Grain("a").CountAsync(3, release.Task, CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await items.MoveNextAsync().AsTask().Within("the first item"));
        Assert.Equal(0, items.Current);
        // The grain is now waiting for the release before producing item 1.
        var next = items.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        release.SetResult();
        Assert.True(await next.Within("the second item"));
        Assert.Equal(1, items.Current);
        Assert.True(await items.MoveNextAsync());
        Assert.False(await items.MoveNextAsync());
        Assert.Equal(0, silo.Activation("a")?.RunningCalls);
    }

    [Fact]
    public async Task Stream_NonInterleaving_HoldsTheTurnUntilDisposed()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");

        var items = grain.CountAsync(3, Task.CompletedTask, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync().AsTask().Within("the first item"));
        var ping = grain.PingAsync();
        await grain.PeekAsync();
        Assert.False(ping.IsCompleted, "a call ran while a non-interleaving stream was open");
        await items.DisposeAsync();

        await ping.Within("the call queued behind the stream");
        await silo.Probe.WaitForAsync("stream-ended", "a");
        Assert.Equal(0, silo.Activation("a")?.RunningCalls);
    }

    [Fact]
    public async Task Stream_Interleaving_LetsOtherCallsRunAndKeepsTheActivationBusy()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var release = new TaskCompletionSource();

        var items = grain.CountInterleavedAsync(3, release.Task, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync().AsTask().Within("the first item"));
        await grain.PingAsync().Within("a call during an interleaving stream");
        await grain.HoldAsync(Task.CompletedTask, CancellationToken.None).Within("another call during the stream");
        silo.Time.Advance(TestSilo.ProbeKeepAlive * 2);

        Assert.Equal(1, silo.Activation("a")?.RunningCalls);
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
        await items.DisposeAsync();
        Assert.Equal(0, silo.Activation("a")?.RunningCalls);
    }

    [Fact]
    public async Task Stream_CancelledByTheConsumer_EndsAndReleasesTheTurn()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        using var cancel = new CancellationTokenSource();

        var items = grain.CountAsync(3, new TaskCompletionSource().Task, CancellationToken.None).GetAsyncEnumerator(cancel.Token);
        Assert.True(await items.MoveNextAsync().AsTask().Within("the first item"));
        var next = items.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next).Within("the cancelled stream");
        await items.DisposeAsync();
        await grain.PingAsync().Within("a call after the cancelled stream");
    }
}
