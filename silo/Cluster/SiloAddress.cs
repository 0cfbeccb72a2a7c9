namespace ModelRunner.Silo.Cluster;

/// <summary>
/// Identifies one run of one silo: where peers reach it and when it started, so a restarted
/// node is a different silo and entries left by its previous run can be told apart.
/// </summary>
/// <param name="Endpoint">How peers reach the silo (single node: <c>local</c>).</param>
/// <param name="Generation">The silo's start time in Unix milliseconds.</param>
public sealed record SiloAddress(string Endpoint, long Generation)
{
    public override string ToString() => $"{Endpoint}@{Generation}";
}
