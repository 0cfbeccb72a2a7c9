namespace ModelRunner.Grains.Pulls;

/// <summary>One progress event of a pull, as it crosses grain boundaries.</summary>
/// <param name="Kind">What the event reports.</param>
/// <param name="Message">A line for people, e.g. "Downloaded 12.5 of 256.4 MiB".</param>
/// <param name="Total">The bytes of all blobs the pull moves (0 until the manifest is known).</param>
/// <param name="Completed">Bytes done across all blobs.</param>
/// <param name="Layer">The blob a progress event is about.</param>
/// <param name="ModelId">On success: the id of the model as stored.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.pull-progress")]
public sealed record PullProgress(
    [property: Id(0)] PullProgressKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] long Total,
    [property: Id(3)] long Completed,
    [property: Id(4)] PullLayer? Layer = null,
    [property: Id(5)] string? ModelId = null);
