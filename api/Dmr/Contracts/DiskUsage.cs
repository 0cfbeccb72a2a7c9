using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary><c>/engines/df</c>: bytes of models, of incomplete downloads, and of the llama.cpp build.</summary>
public sealed record DiskUsage(long ModelsDiskUsage, long IncompleteDiskUsage, long DefaultBackendDiskUsage);
