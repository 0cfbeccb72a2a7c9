namespace ModelRunner.Grains.Pulls;

/// <summary>
/// The pull of one model reference (key: the normalised reference). One download runs at a
/// time per reference; callers that arrive while it runs attach to it and see its progress
/// from the latest event on. It stops when the last caller leaves (the partial file is kept,
/// so the next pull resumes).
/// </summary>
[Alias("modelrunner.pull-grain")]
public interface IPullGrain : IGrainWithStringKey
{
    /// <summary>Progress events, ending with one of kind Success that carries the model.</summary>
    [AlwaysInterleave, Alias("pull")]
    IAsyncEnumerable<PullProgress> PullAsync(CancellationToken cancellationToken = default);
}
