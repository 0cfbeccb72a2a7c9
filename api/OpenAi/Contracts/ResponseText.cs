using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

public sealed record ResponseText(ResponseTextFormat Format);
