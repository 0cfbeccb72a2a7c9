using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>Where one layer of a transfer stands.</summary>
public sealed record LayerLine(string Id, long Size, long Current);
