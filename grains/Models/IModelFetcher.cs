using ModelRunner.Distribution.Store;

namespace ModelRunner.Grains.Models;

/// <summary>
/// Brings a model's files into this node's store from wherever else the cluster has them, for a
/// model grain placed on a node that lacks them. A node alone has nowhere to fetch from.
/// </summary>
public interface IModelFetcher
{
    /// <summary>The model, now in this node's store; null when no other node has it.</summary>
    Task<LocalModel?> FetchAsync(string modelId, CancellationToken cancellationToken);
}
