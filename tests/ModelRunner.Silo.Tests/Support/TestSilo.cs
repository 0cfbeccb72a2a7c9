using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Silo.Tests.Support;

/// <summary>
/// A real host running the silo on a manual clock, with its data in a temporary directory that
/// is deleted on disposal (unless the test owns the directory, to reopen it).
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    public static readonly TimeSpan ProbeKeepAlive = TimeSpan.FromMinutes(5);

    private readonly bool _ownsDirectory;
    private bool _stopped;

    private TestSilo(IHost host, ManualTimeProvider time, Probe probe, string dataDirectory, bool ownsDirectory)
    {
        Host = host;
        Time = time;
        Probe = probe;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    public IHost Host { get; }

    public ManualTimeProvider Time { get; }

    public Probe Probe { get; }

    public string DataDirectory { get; }

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public IActivationManager Activations => Host.Services.GetRequiredService<IActivationManager>();

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "modelrunner-silo-tests", Guid.NewGuid().ToString("N"));

    public static IHost Build(string dataDirectory, ManualTimeProvider time, Probe probe, Action<ISiloBuilder>? grains = null, Action<SiloOptions>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(probe);
        var silo = builder.Services.AddSilo(options =>
        {
            options.DataDirectory = dataDirectory;
            configure?.Invoke(options);
        });
        silo.AddGrain<IProbeGrain, ProbeGrain>(options => options.KeepAlive = ProbeKeepAlive);
        grains?.Invoke(silo);
        return builder.Build();
    }

    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder>? grains = null, Action<SiloOptions>? configure = null, string? dataDirectory = null)
    {
        var time = new ManualTimeProvider();
        var probe = new Probe();
        var directory = dataDirectory ?? NewDataDirectory();
        var host = Build(directory, time, probe, grains, configure);
        await host.StartAsync();
        return new TestSilo(host, time, probe, directory, ownsDirectory: dataDirectory is null);
    }

    public IProbeGrain Grain(string key) => Grains.GetGrain<IProbeGrain>(key);

    public ActivationInfo? Activation(string key) => Activations.GetActivations<IProbeGrain>().SingleOrDefault(info => info.Key == key);

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
        if (_ownsDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
