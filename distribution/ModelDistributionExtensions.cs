using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution;

/// <summary>Pull and push as plain tasks, for callers that want the outcome rather than the stream.</summary>
public static class ModelDistributionExtensions
{
    /// <summary>Pulls <paramref name="reference"/>, reporting each event to <paramref name="progress"/>, and returns the stored model.</summary>
    /// <exception cref="DistributionException">As <see cref="IModelDistribution.PullAsync"/>.</exception>
    public static async Task<LocalModel> PullModelAsync(
        this IModelDistribution distribution, string reference, IProgress<TransferEvent>? progress = null, PullOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        LocalModel? model = null;
        await foreach (var item in distribution.PullAsync(reference, options, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(item);
            model = item.Model ?? model;
        }

        return model ?? throw new DistributionException($"the pull of {reference} ended without a model");
    }

    /// <summary>Pushes <paramref name="reference"/>, reporting each event to <paramref name="progress"/>.</summary>
    /// <exception cref="DistributionException">As <see cref="IModelDistribution.PushAsync"/>.</exception>
    public static async Task PushModelAsync(
        this IModelDistribution distribution, string reference, IProgress<TransferEvent>? progress = null, PushOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        await foreach (var item in distribution.PushAsync(reference, options, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(item);
        }
    }
}
