using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>A model in <c>GET /models</c>.</summary>
public sealed record DmrModel(string Id, IReadOnlyList<string> Tags, long Created, DmrModelConfig Config);
