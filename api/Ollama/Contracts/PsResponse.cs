using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Ollama.Contracts;

public sealed record PsResponse(IReadOnlyList<RunningModel> Models);
