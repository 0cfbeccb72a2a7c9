using System.Text.Json.Serialization;

namespace ModelRunner.Api.Dmr.Contracts;

public sealed record UnloadResponse(int UnloadedRunners);
