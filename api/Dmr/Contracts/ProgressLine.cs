using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>A JSON line of <c>/models/create</c> and push: progress, success, warning or error.</summary>
public sealed record ProgressLine(string Type, string Message, long? Total = null, LayerLine? Layer = null);
