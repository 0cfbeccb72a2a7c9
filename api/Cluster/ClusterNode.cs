namespace ModelRunner.Api.Cluster;

/// <summary>One node of the cluster, as <c>GET /engines/nodes</c> lists it.</summary>
/// <param name="Name">The node's name (its HTTP URL in a cluster, the host name alone).</param>
/// <param name="Address">Its silo address (host:port).</param>
/// <param name="Url">Its HTTP API, when known.</param>
/// <param name="Status"><c>active</c>, <c>joining</c>, <c>shutting_down</c> or <c>dead</c>.</param>
/// <param name="Self">Whether this is the node that answered.</param>
/// <param name="LoadedModels">Names of the models loaded on it; null when it could not be asked.</param>
/// <param name="MemoryTotalBytes">What its models may use; null when it could not be asked.</param>
/// <param name="MemoryFreeBytes">What of that is free; null when it could not be asked.</param>
internal sealed record ClusterNode(
    string Name,
    string Address,
    string? Url,
    string Status,
    bool Self,
    IReadOnlyList<string>? LoadedModels,
    long? MemoryTotalBytes,
    long? MemoryFreeBytes);
