using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Tests.Runtime;

public sealed class ActivationTests
{
    [Fact]
    public async Task GetGrain_NoCall_ActivatesNothing()
    {
        await using var silo = await TestSilo.StartAsync();

        _ = silo.Grain("a");

        Assert.Empty(silo.Activations.GetActivations());
        Assert.Equal(0, silo.Probe.Count("constructed"));
    }

    [Fact]
    public async Task Call_First_ActivatesOnceAndLaterCallsReachTheSameActivation()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");

        var first = await grain.PingAsync();
        var second = await grain.PingAsync();

        Assert.Equal(first, second);
        Assert.Equal(1, silo.Probe.Count("activated", "a"));
        var info = Assert.Single(silo.Activations.GetActivations());
        Assert.Equal(("probe", "a", ActivationStatus.Active, TestSilo.ProbeKeepAlive), (info.GrainType, info.Key, info.Status, info.KeepAlive));
    }

    [Fact]
    public async Task Call_FiftyConcurrentFirstCalls_ActivateExactlyOnce()
    {
        await using var silo = await TestSilo.StartAsync();
        var gate = new TaskCompletionSource();
        silo.Probe.ActivationGate = gate.Task;

        // Fifty references, fifty calls, all before the activation can finish.
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(() => silo.Grain("a").PingAsync())).ToArray();
        await silo.Probe.WaitForAsync("activating", "a");
        gate.SetResult();
        var ids = await Task.WhenAll(calls).Within("fifty first calls");

        Assert.Single(ids.Distinct());
        Assert.Equal(1, silo.Probe.Count("constructed", "a"));
        Assert.Equal(1, silo.Probe.Count("activated", "a"));
        Assert.Single(silo.Activations.GetActivations());
    }

    [Fact]
    public async Task Call_DifferentKeys_GetDifferentActivations()
    {
        await using var silo = await TestSilo.StartAsync();

        var a = await silo.Grain("a").PingAsync();
        var b = await silo.Grain("b").PingAsync();

        Assert.NotEqual(a, b);
        Assert.Equal(["a", "b"], silo.Activations.GetActivations().Select(info => info.Key).Order());
    }

    [Fact]
    public async Task Call_ActivationThrows_EveryWaitingCallerGetsItAndNothingRemains()
    {
        await using var silo = await TestSilo.StartAsync();
        var gate = new TaskCompletionSource();
        silo.Probe.ActivationGate = gate.Task;
        silo.Probe.FailActivations(1);

        var calls = Enumerable.Range(0, 3).Select(_ => silo.Grain("a").PingAsync()).ToArray();
        await silo.Probe.WaitForAsync("activating", "a");
        gate.SetResult();

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<ActivationFailedOnPurposeException>(() => call).Within("a failed activation");
        }

        Assert.Empty(silo.Activations.GetActivations());
        await silo.Probe.WaitForAsync("disposed", "a");
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
    }

    [Fact]
    public async Task Call_AfterFailedActivation_RetriesWithAFreshActivation()
    {
        await using var silo = await TestSilo.StartAsync();
        silo.Probe.FailActivations(1);

        await Assert.ThrowsAsync<ActivationFailedOnPurposeException>(() => silo.Grain("a").PingAsync());
        var id = await silo.Grain("a").PingAsync();

        Assert.Equal(2, silo.Probe.Count("constructed", "a"));
        Assert.Equal(id, (await silo.Probe.WaitForAsync("activated", "a")).Detail);
        Assert.Equal(ActivationStatus.Active, silo.Activation("a")?.Status);
    }

    [Fact]
    public async Task Call_WhileDeactivating_WaitsAndReachesAFreshActivation()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grain("a");
        var first = await grain.PingAsync();
        var gate = new TaskCompletionSource();
        silo.Probe.DeactivationGate = gate.Task;

        await grain.DeactivateOnIdleAsync();
        await silo.Probe.WaitForAsync("deactivating", "a");
        var call = grain.PingAsync();
        Assert.False(call.IsCompleted, "a call reached the activation while it was deactivating");
        Assert.Equal(ActivationStatus.Deactivating, silo.Activation("a")?.Status);
        silo.Probe.DeactivationGate = null;
        gate.SetResult();
        var second = await call.Within("the call waiting for the deactivation");

        Assert.NotEqual(first, second);
        var events = silo.Probe.Events.Where(e => e.Key == "a").Select(e => e.Kind).ToList();
        Assert.True(events.IndexOf("deactivated") < events.LastIndexOf("activated"), $"the new activation started before the old one was gone: {string.Join(", ", events)}");
    }

    [Fact]
    public async Task Call_ValueTaskMethods_ReturnTheirResults()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Equal(5, await silo.Grain("a").AddAsync(2, 3));
        await silo.Grain("a").TouchAsync();

        Assert.Equal(1, silo.Probe.Count("touched", "a"));
    }

    [Fact]
    public async Task GetGrain_SameKeyTwice_ReferencesAreEqual()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Equal(silo.Grain("a"), silo.Grain("a"));
        Assert.NotEqual(silo.Grain("a"), silo.Grain("b"));
        Assert.Equal("probe/a", silo.Grain("a").ToString());
    }

    [Fact]
    public async Task GetGrain_UnregisteredInterface_ThrowsNamingIt()
    {
        await using var silo = await TestSilo.StartAsync();

        var exception = Assert.Throws<InvalidOperationException>(() => silo.Grains.GetGrain<IUnregisteredGrain>("a"));

        Assert.Contains(nameof(IUnregisteredGrain), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OutsideTheSilo_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ProbeGrain(new Probe()));

        Assert.Contains("GetGrain", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_AfterShutdown_ThrowsSiloUnavailable()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.StopAsync();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Grain("a").PingAsync());
    }

    public interface IUnregisteredGrain : IGrainWithStringKey
    {
        Task PingAsync();
    }
}
