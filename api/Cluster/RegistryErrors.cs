namespace ModelRunner.Api.Cluster;

/// <summary>The OCI distribution spec's error body.</summary>
internal sealed record RegistryErrors(IReadOnlyList<RegistryError> Errors);
