namespace ModelRunner.Api.Cluster;

/// <summary>One error of an OCI distribution error body.</summary>
internal sealed record RegistryError(string Code, string Message);
