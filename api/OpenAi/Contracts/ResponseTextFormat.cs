using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

public sealed record ResponseTextFormat(string Type);
