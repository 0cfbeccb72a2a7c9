namespace ModelRunner.Grains.Models;

/// <inheritdoc cref="IModelSettingsGrain"/>
public sealed class ModelSettingsGrain([PersistentState("model-settings")] IPersistentState<ModelSettings> stored) : Grain, IModelSettingsGrain
{
    public Task<ModelSettings> GetAsync() => Task.FromResult(stored.RecordExists ? stored.State : ModelSettings.Default);

    public async Task SetAsync(ModelSettings settings)
    {
        stored.State = settings;
        await stored.WriteStateAsync();
    }
}
