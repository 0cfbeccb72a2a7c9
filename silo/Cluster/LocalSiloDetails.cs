namespace ModelRunner.Silo.Cluster;

/// <summary>A single node: endpoint <c>local</c>, generation from the start time.</summary>
internal sealed class LocalSiloDetails(TimeProvider timeProvider) : ILocalSiloDetails
{
    public SiloAddress Address { get; } = new("local", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
}
