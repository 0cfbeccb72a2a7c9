using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Storage;

namespace ModelRunner.Grains.Models;

/// <summary>
/// Persists each model's configuration (context size, runtime flags, keep-alive) and applies a
/// change: a loaded, idle model is unloaded so it reloads with it; a busy one refuses it.
/// Thread-safe.
/// </summary>
public sealed class ModelSettingsStore(IGrainStorage storage, IActivationManager activations)
{
    private const string StateType = "model-settings";

    /// <summary>The configuration of a model (by id); the defaults when none was set.</summary>
    public async Task<ModelSettings> GetAsync(string modelId, CancellationToken cancellationToken = default) =>
        (await storage.ReadAsync(StateType, modelId, GrainsJsonContext.Default.ModelSettings, cancellationToken).ConfigureAwait(false))?.State
        ?? ModelSettings.Default;

    /// <summary>Validates and stores a configuration; applied when the model next loads.</summary>
    /// <exception cref="ArgumentException">A runtime flag is not allowed or the context size is out of range.</exception>
    /// <exception cref="ModelBusyException">The model is loaded and serving requests.</exception>
    public async Task SetAsync(string modelId, ModelSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RuntimeFlags.Parse(settings.Flags);
        if (settings.ContextSize is < 16 or > 1 << 20)
        {
            throw new ArgumentException("context size must be between 16 and 1048576 tokens", nameof(settings));
        }

        var loaded = activations.GetActivations<IModelGrain>().FirstOrDefault(activation => activation.Key == modelId);
        if (loaded is { IsBusy: true })
        {
            throw new ModelBusyException(modelId);
        }

        var current = await storage.ReadAsync(StateType, modelId, GrainsJsonContext.Default.ModelSettings, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(StateType, modelId, settings, current?.ETag, GrainsJsonContext.Default.ModelSettings, cancellationToken).ConfigureAwait(false);
        if (loaded is not null)
        {
            await activations.TryDeactivateAsync<IModelGrain>(modelId, DeactivationReason.ExternalRequest, includePinned: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
