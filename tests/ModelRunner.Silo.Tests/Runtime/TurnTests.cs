namespace ModelRunner.Silo.Tests.Runtime;

public sealed class TurnTests
{
    [Fact]
    public async Task Call_ManyConcurrentNonInterleaving_RunOneAtATime()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(grain.WorkAsync))).Within("forty calls");

        Assert.Equal(1, silo.Probe.MaxConcurrent);
    }

    [Fact]
    public async Task Call_WhileAnotherHoldsTheTurn_WaitsForIt()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var release = new TaskCompletionSource();

        var holding = grain.HoldAsync(release.Task, CancellationToken.None);
        await silo.Probe.WaitForAsync("holding", "a");
        var waiting = grain.HoldAsync(Task.CompletedTask, CancellationToken.None);
        await grain.PeekAsync();

        Assert.False(waiting.IsCompleted, "a second call ran while the first held the turn");
        Assert.Equal(1, silo.Probe.Count("holding", "a"));
        release.SetResult();
        await Task.WhenAll(holding, waiting).Within("both calls");
        Assert.Equal(1, silo.Probe.MaxConcurrent);
    }

    [Fact]
    public async Task Call_InterleavingMethods_RunAlongsideALongCall()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var release = new TaskCompletionSource();
        var releaseInterleaved = new TaskCompletionSource();

        var holding = grain.HoldAsync(release.Task, CancellationToken.None);
        await silo.Probe.WaitForAsync("holding", "a");
        await grain.PeekAsync().Within("an interleaving call during a long call");
        var interleaved = grain.HoldInterleavedAsync(releaseInterleaved.Task);
        await silo.Probe.WaitForAsync("holding-interleaved", "a");

        Assert.Equal(2, silo.Probe.MaxConcurrent);
        Assert.Equal(2, silo.Activation("a")?.RunningCalls);
        releaseInterleaved.SetResult();
        release.SetResult();
        await Task.WhenAll(holding, interleaved).Within("the calls");
    }

    [Fact]
    public async Task Call_CancelledWhileWaitingForTheTurn_ThrowsAndLeavesTheGrainUsable()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var release = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();

        var holding = grain.HoldAsync(release.Task, CancellationToken.None);
        await silo.Probe.WaitForAsync("holding", "a");
        var waiting = grain.HoldAsync(Task.CompletedTask, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting).Within("the cancelled call");
        Assert.Equal(1, silo.Activation("a")?.RunningCalls);
        release.SetResult();
        await holding;
        await grain.PingAsync().Within("a call after the cancelled one");
        Assert.Equal(0, silo.Activation("a")?.RunningCalls);
    }
}
