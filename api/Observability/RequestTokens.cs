namespace ModelRunner.Api.Observability;

/// <summary>Tokens of a recorded request; cached prompt tokens were reused, not evaluated.</summary>
public sealed record RequestTokens(int Prompt, int Cached, int Completion);
