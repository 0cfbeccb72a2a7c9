namespace ModelRunner.Grains.Models;

/// <summary>
/// A model loaded on this node, as its model grain shows it to the node: what memory
/// admission needs to choose a model to unload, and what ps, status and metrics show.
/// Every member is thread-safe and none of them reaches the grain through Orleans, so
/// observing a model never loads it or keeps it loaded.
/// </summary>
public interface ILoadedModel
{
    /// <summary>The model id.</summary>
    string Id { get; }

    /// <summary>Its grain key: the model id, or <c>id#r</c> for replica r (see <see cref="ModelReplicas"/>).</summary>
    string Key { get; }

    /// <summary>A request is running or queued: never unloaded for another model.</summary>
    bool IsBusy { get; }

    /// <summary>Kept loaded forever (keep-alive &lt; 0): never unloaded for another model.</summary>
    bool IsPinned { get; }

    /// <summary>When its last request ended; the order of least-recently-used eviction.</summary>
    DateTimeOffset LastUsed { get; }

    /// <summary>
    /// A snapshot of what it is doing; null once it has begun to free its memory (it stays registered until that is
    /// done, so that whoever waits for it to leave finds the memory free).
    /// </summary>
    ModelStatus? Status { get; }

    /// <summary>Deactivates the model grain, ending the requests it runs, and completes once its memory is freed.</summary>
    Task EvictAsync();

    /// <summary>
    /// <see cref="EvictAsync"/> unless a request runs: false, and nothing done, when one has begun
    /// since whoever asked looked at <see cref="IsBusy"/>.
    /// </summary>
    Task<bool> TryEvictAsync();
}
