using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelRunner.Distribution;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;
using ModelRunner.Grains.Pulls;
using ModelRunner.Silo.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ModelRunner's grains and the services they use.</summary>
public static class GrainsSiloBuilderExtensions
{
    /// <summary>Model conversation idle time before they leave memory (Orleans' collection age).</summary>
    public static readonly TimeSpan ConversationKeepAlive = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Model grains (5-minute keep-alive, DMR's and Ollama's default), conversation grains (15
    /// minutes), pull grains, memory admission (<c>MODEL_RUNNER_MEMORY_BYTES</c> caps it), model
    /// settings, and the model store (<see cref="ModelDistribution.Create"/> from the environment,
    /// unless an <see cref="IModelDistribution"/> is registered first).
    /// </summary>
    public static ISiloBuilder AddModelRunnerGrains(this ISiloBuilder silo, Action<AdmissionOptions>? admission = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelDistribution>(_ => ModelDistribution.Create());
        services.TryAddSingleton<ModelAdmission>();
        services.TryAddSingleton<ModelSettingsStore>();
        services.TryAddSingleton<SequenceFolders>();
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

        return silo
            .AddGrain<IModelGrain, ModelGrain>(grain => grain.KeepAlive = KeepAlive.Default)
            .AddGrain<IConversationGrain, ConversationGrain>(grain => grain.KeepAlive = ConversationKeepAlive)
            .AddGrain<IPullGrain, PullGrain>(grain => grain.KeepAlive = TimeSpan.FromMinutes(1));
    }
}
