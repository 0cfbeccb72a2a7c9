namespace ModelRunner.Api.Cluster;

/// <summary>What placing a model on a node depends on: its files there, and free memory.</summary>
internal sealed record NodePlacement(bool HasModel, long FreeBytes);
