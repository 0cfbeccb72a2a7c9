using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the services ModelRunner's grains use on a silo.</summary>
public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// The node's registry of loaded models, memory admission (<c>MODEL_RUNNER_MEMORY_BYTES</c>
    /// caps it), model settings, saved-sequence folders, and the model store
    /// (<see cref="ModelDistribution.Create"/> from the environment, unless an
    /// <see cref="IModelDistribution"/> is registered first), and llama.cpp's log lines forwarded
    /// into <see cref="Microsoft.Extensions.Logging.ILogger"/>. The grain classes themselves are
    /// found by Orleans in this assembly.
    /// </summary>
    public static ISiloBuilder AddModelRunnerGrains(this ISiloBuilder silo, Action<AdmissionOptions>? admission = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelDistribution>(_ => ModelDistribution.Create());
        services.TryAddSingleton<LoadedModels>();
        services.TryAddSingleton<ModelAdmission>();
        services.TryAddSingleton<ModelSettingsStore>();
        services.TryAddSingleton<SequenceFolders>();
        services.TryAddSingleton<IModelFetcher, NoModelFetcher>();
        services.AddHostedService<ModelRunner.Grains.Hosting.LlamaLogForwarder>();
        services.AddOptions<AdmissionOptions>().Configure(options =>
        {
            if (Environment.GetEnvironmentVariable("MODEL_RUNNER_MEMORY_BYTES") is { Length: > 0 } bytes)
            {
                options.MemoryBytes = long.Parse(bytes, CultureInfo.InvariantCulture);
            }

            admission?.Invoke(options);
        }).Validate(options => options.SafetyMargin is >= 0 and < 1, "AdmissionOptions.SafetyMargin must be in [0, 1)")
          .Validate(options => options.MemoryBytes is null or > 0, "AdmissionOptions.MemoryBytes (MODEL_RUNNER_MEMORY_BYTES) must be > 0")
          .ValidateOnStart();
        return silo;
    }
}
