namespace ModelRunner.Silo.Cluster;

/// <summary>Where one activation of a grain lives: the grain, its silo, and the activation's own id.</summary>
public sealed record GrainAddress(GrainId GrainId, SiloAddress Silo, string ActivationId);
