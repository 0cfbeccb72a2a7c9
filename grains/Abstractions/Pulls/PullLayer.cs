namespace ModelRunner.Grains.Pulls;

/// <summary>Progress of one blob of a pull.</summary>
[GenerateSerializer, Immutable, Alias("modelrunner.pull-layer")]
public sealed record PullLayer([property: Id(0)] string Digest, [property: Id(1)] string MediaType, [property: Id(2)] long Size, [property: Id(3)] long Current);
