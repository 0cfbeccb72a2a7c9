namespace ModelRunner.Api.Dmr.Contracts;

/// <summary>The answer to <c>POST /models/{name}/repackage</c>: DMR's <c>{message, source, target}</c>, plus the new model's id.</summary>
public sealed record RepackageResponse(string Message, string Source, string Target, string Id);
