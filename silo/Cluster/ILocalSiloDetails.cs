namespace ModelRunner.Silo.Cluster;

/// <summary>The address of the silo this process runs. Thread-safe.</summary>
public interface ILocalSiloDetails
{
    /// <summary>This silo; fixed for the life of the process.</summary>
    SiloAddress Address { get; }
}
