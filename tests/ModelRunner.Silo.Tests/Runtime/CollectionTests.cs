using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Tests.Runtime;

public sealed class CollectionTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Collector_IdleForItsKeepAlive_Deactivates()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").PingAsync();

        silo.Time.Advance(TestSilo.ProbeKeepAlive - Second);
        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
        Assert.Equal(silo.Time.GetUtcNow() + Second, silo.Activation("a")?.ExpiresAt);
        silo.Time.Advance(Second);

        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
        await Deadline.UntilAsync(() => silo.Activation("a") is null, "the collected activation to leave the catalog");
    }

    [Fact]
    public async Task Collector_CallBeforeKeepAliveEnds_StartsTheIdleTimeAgain()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        await grain.PingAsync();

        silo.Time.Advance(TestSilo.ProbeKeepAlive - Second);
        await grain.PingAsync();
        silo.Time.Advance(TestSilo.ProbeKeepAlive - Second);

        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
        silo.Time.Advance(Second);
        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
    }

    [Fact]
    public async Task Collector_KeepAliveZero_DeactivatesRightAfterTheCall()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").SetKeepAliveAsync(TimeSpan.Zero);

        silo.Time.Advance(Second);

        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
    }

    [Fact]
    public async Task Collector_KeepAliveChangedAtRunTime_UsesTheNewValue()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").SetKeepAliveAsync(TimeSpan.FromMinutes(30));

        silo.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(TimeSpan.FromMinutes(30), silo.Activation("a")?.KeepAlive);
        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
        silo.Time.Advance(TimeSpan.FromMinutes(1));

        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
    }

    [Fact]
    public async Task Collector_InfiniteKeepAlive_NeverCollects()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").SetKeepAliveAsync(Timeout.InfiniteTimeSpan);

        silo.Time.Advance(TimeSpan.FromHours(2));

        var info = silo.Activation("a");
        Assert.Equal(ActivationStatus.Active, info?.Status);
        Assert.True(info?.IsPinned);
        Assert.Null(info?.ExpiresAt);
    }

    [Fact]
    public async Task DelayDeactivation_Infinite_NeverCollects()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").DelayDeactivationAsync(Timeout.InfiniteTimeSpan);

        silo.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
        Assert.True(silo.Activation("a")?.IsPinned);
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
    }

    [Fact]
    public async Task DelayDeactivation_LongerThanKeepAlive_KeepsTheActivationUntilThen()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").DelayDeactivationAsync(TimeSpan.FromMinutes(20));

        silo.Time.Advance(TimeSpan.FromMinutes(20) - Second);
        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
        silo.Time.Advance(Second);

        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
    }

    [Fact]
    public async Task DelayDeactivation_Zero_CancelsAnEarlierDelay()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        await grain.DelayDeactivationAsync(Timeout.InfiniteTimeSpan);
        await grain.DelayDeactivationAsync(TimeSpan.Zero);

        silo.Time.Advance(TestSilo.ProbeKeepAlive);

        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
    }

    [Fact]
    public async Task DeactivateOnIdle_CalledInACall_DeactivatesWhenTheCallEnds()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var first = await grain.PingAsync();

        await grain.DeactivateOnIdleAsync();

        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.DeactivateOnIdle));
        await silo.Probe.WaitForAsync("disposed", "a");
        Assert.NotEqual(first, await grain.PingAsync());
    }

    [Fact]
    public async Task DeactivateOnIdle_WhileAnotherCallRuns_WaitsForIt()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var release = new TaskCompletionSource();
        var holding = grain.HoldInterleavedAsync(release.Task);
        await silo.Probe.WaitForAsync("holding-interleaved", "a");

        await grain.DeactivateOnIdleAsync();

        Assert.Equal(ActivationStatus.Deactivating, silo.Activation("a")?.Status);
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
        release.SetResult();
        await holding;
        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.DeactivateOnIdle));
    }

    [Fact]
    public async Task Collector_BusyActivation_IsNeverCollected()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var release = new TaskCompletionSource();
        var holding = grain.HoldAsync(release.Task, CancellationToken.None);
        await silo.Probe.WaitForAsync("holding", "a");

        silo.Time.Advance(TestSilo.ProbeKeepAlive * 3);

        Assert.True(silo.Activation("a")?.IsBusy);
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
        release.SetResult();
        await holding;
        // The keep-alive counts from the end of the call.
        silo.Time.Advance(TestSilo.ProbeKeepAlive - Second);
        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
        silo.Time.Advance(Second);
        await silo.Probe.WaitForAsync("deactivated", "a", nameof(DeactivationReason.IdleTimeout));
    }

    [Fact]
    public async Task Collector_DefaultKeepAlive_ComesFromSiloOptions()
    {
        await using var silo = await TestSilo.StartAsync(
            grains: builder => builder.AddGrain<IDefaultsGrain, DefaultsGrain>(),
            configure: options => options.DefaultKeepAlive = TimeSpan.FromMinutes(15));

        await silo.Grains.GetGrain<IDefaultsGrain>("a").PingAsync();

        var info = Assert.Single(silo.Activations.GetActivations<IDefaultsGrain>());
        Assert.Equal(("defaults", TimeSpan.FromMinutes(15)), (info.GrainType, info.KeepAlive));
    }

    public interface IDefaultsGrain : IGrainWithStringKey
    {
        Task PingAsync();
    }

    public sealed class DefaultsGrain : Grain, IDefaultsGrain
    {
        public Task PingAsync() => Task.CompletedTask;
    }
}
