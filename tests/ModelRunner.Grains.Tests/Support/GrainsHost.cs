using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Grains.Tests.Support;

/// <summary>
/// A real host running the silo with ModelRunner's grains over the shared store, on a manual
/// clock, with its data (SQLite, saved KV state) in a folder that can be reopened after a stop.
/// </summary>
internal sealed class GrainsHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private GrainsHost(IHost host, ManualTimeProvider time, string dataDirectory)
    {
        _host = host;
        Time = time;
        DataDirectory = dataDirectory;
    }

    public ManualTimeProvider Time { get; }

    public string DataDirectory { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IActivationManager Activations => _host.Services.GetRequiredService<IActivationManager>();

    public ModelSettingsStore Settings => _host.Services.GetRequiredService<ModelSettingsStore>();

    public ModelAdmission Admission => _host.Services.GetRequiredService<ModelAdmission>();

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "modelrunner-grains-data", Guid.NewGuid().ToString("N"));

    public static async Task<GrainsHost> StartAsync(StoredModels models, string? dataDirectory = null, long? memoryBytes = null)
    {
        var time = new ManualTimeProvider();
        var directory = dataDirectory ?? NewDataDirectory();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        // Registered as an instance, the fixture's store is not disposed with the host.
        builder.Services.AddSingleton(models.Distribution);
        builder.Services.AddSilo(options => options.DataDirectory = directory)
            .AddModelRunnerGrains(admission => admission.MemoryBytes = memoryBytes ?? 8L << 30);
        var host = builder.Build();
        await host.StartAsync();
        return new GrainsHost(host, time, directory);
    }

    public IModelGrain Model(string id) => Grains.GetGrain<IModelGrain>(id);

    public bool IsLoaded(string id) => Activations.GetActivations<IModelGrain>().Any(activation => activation.Key == id);

    /// <summary>Moves the clock in one-second steps, so the collector runs at each.</summary>
    public void Advance(TimeSpan by)
    {
        for (var left = by; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(1))
        {
            Time.Advance(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
