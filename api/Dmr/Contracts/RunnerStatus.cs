using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>A loaded model in <c>/engines/ps</c>.</summary>
public sealed record RunnerStatus(string Backend, string Model, string ModelId, string Mode, DateTimeOffset LastUsed, bool InUse, bool Loading, string KeepAlive, long Memory, string Node, int ContextSize, int Sequences, int QueuedRequests);
