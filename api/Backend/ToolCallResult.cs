namespace ModelRunner.Api.Backend;

/// <summary>A tool call in an answer, with the id the client refers to when it sends the result.</summary>
public sealed record ToolCallResult(string Id, string Name, string Arguments);
