namespace ModelRunner.Api.Cluster;

/// <summary>What placing a model grain on a node depends on.</summary>
/// <param name="HasModel">The model's files are in its store.</param>
/// <param name="FreeBytes">Memory its models may still use.</param>
/// <param name="ModelBytes">The size of the model's files there; 0 when it has none.</param>
/// <param name="Loaded">A replica of the model is already loaded there.</param>
internal sealed record NodePlacement(bool HasModel, long FreeBytes, long ModelBytes = 0, bool Loaded = false);
