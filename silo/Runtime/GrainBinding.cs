namespace ModelRunner.Silo.Runtime;

/// <summary>A grain interface and the grain class registered to serve it.</summary>
internal sealed record GrainBinding(GrainInterfaceMetadata Interface, GrainClassInfo GrainClass);
