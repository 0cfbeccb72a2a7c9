namespace ModelRunner.Silo.Cluster;

/// <summary>Identifies a grain across the cluster: its grain type name and its key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
