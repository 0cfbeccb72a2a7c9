using ModelRunner.Distribution.Store;

namespace ModelRunner.Grains.Models;

/// <summary>A node alone: its store is the only one.</summary>
internal sealed class NoModelFetcher : IModelFetcher
{
    public Task<LocalModel?> FetchAsync(string modelId, CancellationToken cancellationToken) => Task.FromResult<LocalModel?>(null);
}
