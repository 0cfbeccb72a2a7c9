using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Grains.Models;

/// <summary>
/// The models loaded on this node, kept by the model grains themselves: a grain adds itself once
/// its weights are loaded and removes itself once they are freed. ps, status and metrics read it
/// without calling any grain. Thread-safe; one per node (a singleton service).
/// </summary>
public sealed class LoadedModels(IOptions<NodeOptions> node)
{
    private readonly string _node = node.Value.HttpUrl?.ToString() ?? Environment.MachineName;

    private readonly ConcurrentDictionary<string, ILoadedModel> _models = new(StringComparer.Ordinal);

    /// <summary>The loaded models, in no particular order.</summary>
    public IReadOnlyList<ILoadedModel> All => [.. _models.Values];

    /// <summary>Snapshots of every loaded model, by name; a model already freeing its memory is not loaded any more.</summary>
    public IReadOnlyList<ModelStatus> Statuses() =>
        [.. _models.Values.Select(model => model.Status).OfType<ModelStatus>().Select(status => status with { Node = _node }).OrderBy(status => status.Tags.Count > 0 ? status.Tags[0] : status.Id, StringComparer.Ordinal)];

    /// <summary>Whether the model grain with that key (a model id is replica 0's key) is loaded here.</summary>
    public bool IsLoaded(string key) => _models.ContainsKey(key);

    /// <summary>The replica with that grain key, else any replica of the model with that id, loaded here.</summary>
    public ILoadedModel? Find(string idOrKey) =>
        _models.GetValueOrDefault(idOrKey) ?? _models.Values.FirstOrDefault(model => model.Id == idOrKey);

    internal void Add(ILoadedModel model) => _models[model.Key] = model;

    internal void Remove(ILoadedModel model) => _models.TryRemove(new KeyValuePair<string, ILoadedModel>(model.Key, model));
}
