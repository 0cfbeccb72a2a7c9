namespace ModelRunner.Grains.Models;

/// <summary>
/// A model's persisted configuration (key: the model id), apart from the model grain so that
/// reading or changing it never loads the model.
/// </summary>
[Alias("modelrunner.model-settings-grain")]
public interface IModelSettingsGrain : IGrainWithStringKey
{
    /// <summary>The configuration; the defaults when none was set.</summary>
    [Alias("get")]
    Task<ModelSettings> GetAsync();

    /// <summary>Stores a configuration (validated by the caller); the model applies it when it next loads.</summary>
    [Alias("set")]
    Task SetAsync(ModelSettings settings);
}
