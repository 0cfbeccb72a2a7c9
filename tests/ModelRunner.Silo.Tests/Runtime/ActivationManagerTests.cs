using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Tests.Runtime;

public sealed class ActivationManagerTests
{
    [Fact]
    public async Task TryDeactivateAsync_Idle_DeactivatesBeforeReturning()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").PingAsync();

        var deactivated = await silo.Activations.TryDeactivateAsync<IProbeGrain>("a", DeactivationReason.ResourcePressure);

        Assert.True(deactivated);
        Assert.Equal(1, silo.Probe.Count("deactivated", "a"));
        Assert.Equal(nameof(DeactivationReason.ResourcePressure), silo.Probe.Events.Single(e => e.Kind == "deactivated").Detail);
        Assert.Null(silo.Activation("a"));
    }

    [Fact]
    public async Task TryDeactivateAsync_Busy_Refuses()
    {
        await using var silo = await TestSilo.StartAsync();
        var release = new TaskCompletionSource();
        var holding = silo.Grain("a").HoldAsync(release.Task, CancellationToken.None);
        await silo.Probe.WaitForAsync("holding", "a");

        var deactivated = await silo.Activations.TryDeactivateAsync<IProbeGrain>("a", DeactivationReason.ResourcePressure);

        Assert.False(deactivated);
        Assert.True(silo.Activation("a")?.IsBusy);
        release.SetResult();
        await holding;
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
    }

    [Fact]
    public async Task TryDeactivateAsync_OpenInterleavingStream_Refuses()
    {
        await using var silo = await TestSilo.StartAsync();
        await using var items = silo.Grain("a").CountInterleavedAsync(3, Task.CompletedTask, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());

        Assert.False(await silo.Activations.TryDeactivateAsync<IProbeGrain>("a", DeactivationReason.ResourcePressure));
    }

    [Fact]
    public async Task TryDeactivateAsync_Pinned_RefusesUnlessPinnedAreIncluded()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("a").SetKeepAliveAsync(Timeout.InfiniteTimeSpan);

        Assert.False(await silo.Activations.TryDeactivateAsync<IProbeGrain>("a", DeactivationReason.ResourcePressure));
        Assert.True(await silo.Activations.TryDeactivateAsync<IProbeGrain>("a", DeactivationReason.ExternalRequest, includePinned: true));
        Assert.Equal(nameof(DeactivationReason.ExternalRequest), (await silo.Probe.WaitForAsync("deactivated", "a")).Detail);
    }

    [Fact]
    public async Task TryDeactivateAsync_NoActivation_ReturnsFalse()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.False(await silo.Activations.TryDeactivateAsync<IProbeGrain>("nobody", DeactivationReason.ResourcePressure));
    }

    [Fact]
    public async Task GetActivations_IdleActivations_OrderByLastUse()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grain("old").PingAsync();
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await silo.Grain("new").PingAsync();
        silo.Time.Advance(TimeSpan.FromSeconds(10));

        var byLastUse = silo.Activations.GetActivations<IProbeGrain>().OrderBy(info => info.LastUsedAt).ToList();

        Assert.Equal(["old", "new"], byLastUse.Select(info => info.Key));
        Assert.All(byLastUse, info => Assert.False(info.IsBusy));
        Assert.Equal(byLastUse[0].LastUsedAt, byLastUse[0].IdleSince);
    }
}
