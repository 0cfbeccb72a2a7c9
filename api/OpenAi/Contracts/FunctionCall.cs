using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>The function a tool call calls, its arguments a JSON string.</summary>
public sealed record FunctionCall(string Name, string Arguments);
