using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Silo.Tests.Hosting;

public sealed class SiloHostingTests
{
    [Fact]
    public async Task StopAsync_ActiveGrains_DeactivatesEachWithShutdown()
    {
        await using var silo = await TestSilo.StartAsync();
        foreach (var key in new[] { "a", "b", "c" })
        {
            await silo.Grain(key).PingAsync();
        }

        await silo.StopAsync();

        Assert.Equal(["a", "b", "c"], silo.Probe.Events.Where(e => e is { Kind: "deactivated", Detail: nameof(DeactivationReason.Shutdown) }).Select(e => e.Key).Order());
        Assert.Empty(silo.Activations.GetActivations());
    }

    [Fact]
    public async Task StopAsync_CallInProgress_LetsItFinishFirst()
    {
        await using var silo = await TestSilo.StartAsync();
        var release = new TaskCompletionSource();
        var holding = silo.Grain("a").HoldAsync(release.Task, CancellationToken.None);
        await silo.Probe.WaitForAsync("holding", "a");

        var stopping = silo.StopAsync();
        await Deadline.UntilAsync(() => silo.Activation("a")?.DeactivationRequested == true, "the shutdown to reach the busy activation");
        Assert.Equal(0, silo.Probe.Count("deactivating", "a"));
        release.SetResult();
        await holding.Within("the call in progress");
        await stopping.Within("the shutdown");

        Assert.Equal(nameof(DeactivationReason.Shutdown), (await silo.Probe.WaitForAsync("deactivated", "a")).Detail);
    }

    [Theory]
    [InlineData("CollectionInterval")]
    [InlineData("DefaultKeepAlive")]
    [InlineData("DeactivationTimeout")]
    [InlineData("DataDirectory")]
    public async Task StartAsync_InvalidOption_FailsNamingTheSetting(string setting)
    {
        var directory = TestSilo.NewDataDirectory();
        using var host = TestSilo.Build(directory, new ManualTimeProvider(), new Probe(), configure: options =>
        {
            switch (setting)
            {
                case "CollectionInterval": options.CollectionInterval = TimeSpan.FromSeconds(5); break;
                case "DefaultKeepAlive": options.DefaultKeepAlive = TimeSpan.FromSeconds(-2); break;
                case "DeactivationTimeout": options.DeactivationTimeout = TimeSpan.Zero; break;
                default: options.DataDirectory = " "; break;
            }
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"SiloOptions.{setting}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGrain_MethodThatIsNotAsync_ThrowsNamingIt()
    {
        var builder = new ServiceCollection().AddSilo();

        var exception = Assert.Throws<ArgumentException>(() => builder.AddGrain<IBadGrain, BadGrain>());

        Assert.Contains("IBadGrain.Count returns Int32", exception.Message, StringComparison.Ordinal);
        Assert.Contains("IBadGrain.Swap has a ref", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGrain_NegativeKeepAlive_ThrowsNamingTheSetting()
    {
        var builder = new ServiceCollection().AddSilo();

        var exception = Assert.Throws<ArgumentException>(() => builder.AddGrain<IProbeGrain, ProbeGrain>(options => options.KeepAlive = TimeSpan.FromSeconds(-1)));

        Assert.Contains("GrainTypeOptions.KeepAlive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InterfaceRegisteredForTwoClasses_FailsNamingBoth()
    {
        var directory = TestSilo.NewDataDirectory();
        using var host = TestSilo.Build(directory, new ManualTimeProvider(), new Probe(), grains: builder => builder.AddGrain<IProbeGrain, OtherProbeGrain>());

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(nameof(ProbeGrain), exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OtherProbeGrain), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultDataDirectory_HomeVariableSet_UsesIt()
    {
        var previous = Environment.GetEnvironmentVariable(SiloOptions.HomeVariable);
        try
        {
            Environment.SetEnvironmentVariable(SiloOptions.HomeVariable, "/srv/modelrunner");
            Assert.Equal("/srv/modelrunner", new SiloOptions().DataDirectory);
            Environment.SetEnvironmentVariable(SiloOptions.HomeVariable, null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".modelrunner"), new SiloOptions().DataDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SiloOptions.HomeVariable, previous);
        }
    }

    public interface IBadGrain : IGrainWithStringKey
    {
        int Count();

        Task Swap(ref int value);
    }

    public sealed class BadGrain : Grain, IBadGrain
    {
        public int Count() => 0;

        public Task Swap(ref int value) => Task.CompletedTask;
    }

    public sealed class OtherProbeGrain : Grain, IProbeGrain
    {
        public Task<string> PingAsync() => throw new NotSupportedException();

        public Task HoldAsync(Task release, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task WorkAsync() => throw new NotSupportedException();

        public Task<string> PeekAsync() => throw new NotSupportedException();

        public Task HoldInterleavedAsync(Task release) => throw new NotSupportedException();

        public IAsyncEnumerable<int> CountAsync(int count, Task release, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<int> CountInterleavedAsync(int count, Task release, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetKeepAliveAsync(TimeSpan keepAlive) => throw new NotSupportedException();

        public Task DelayDeactivationAsync(TimeSpan timeSpan) => throw new NotSupportedException();

        public Task DeactivateOnIdleAsync() => throw new NotSupportedException();

        public ValueTask<int> AddAsync(int a, int b) => throw new NotSupportedException();

        public ValueTask TouchAsync() => throw new NotSupportedException();
    }
}
