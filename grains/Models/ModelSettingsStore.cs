namespace ModelRunner.Grains.Models;

/// <summary>
/// Reads and changes each model's configuration (context size, runtime flags, keep-alive),
/// kept by its <see cref="IModelSettingsGrain"/>, and applies a change: a loaded, idle model is
/// unloaded so it reloads with it; a busy one refuses it. Thread-safe.
/// </summary>
public sealed class ModelSettingsStore(IGrainFactory grains, LoadedModels loaded)
{
    /// <summary>The configuration of a model (by id); the defaults when none was set.</summary>
    public Task<ModelSettings> GetAsync(string modelId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IModelSettingsGrain>(modelId).GetAsync().WaitAsync(cancellationToken);

    /// <summary>Validates and stores a configuration; applied when the model next loads.</summary>
    /// <exception cref="InvalidRequestException">A runtime flag is not allowed or the context size is out of range.</exception>
    /// <exception cref="ModelBusyException">The model is loaded and serving requests.</exception>
    public async Task SetAsync(string modelId, ModelSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RuntimeFlags.Parse(settings.Flags);
        if (settings.ContextSize is < 16 or > 1 << 20)
        {
            throw new InvalidRequestException("context size must be between 16 and 1048576 tokens", "context-size");
        }

        var model = loaded.Find(modelId);
        if (model is { IsBusy: true })
        {
            throw new ModelBusyException(modelId);
        }

        await grains.GetGrain<IModelSettingsGrain>(modelId).SetAsync(settings).WaitAsync(cancellationToken).ConfigureAwait(false);
        // The new settings apply from the next load; a request that began meanwhile keeps its model.
        if (model is not null && !await model.TryEvictAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ModelBusyException(modelId);
        }
    }
}
