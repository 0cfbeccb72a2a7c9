namespace ModelRunner.Api.Backend;

/// <summary>Whether and which tool the model must call (OpenAI's <c>tool_choice</c>, Anthropic's <c>tool_choice</c>).</summary>
/// <param name="Mode"><c>auto</c> (the model decides), <c>none</c> (no tools), <c>required</c> (some tool) or <c>function</c> (the named one).</param>
/// <param name="Function">The function to call when <paramref name="Mode"/> is <c>function</c>.</param>
public sealed record ToolChoice(string Mode, string? Function = null)
{
    public static ToolChoice Auto { get; } = new("auto");

    public static ToolChoice None { get; } = new("none");

    public static ToolChoice Required { get; } = new("required");

    public static ToolChoice For(string function) => new("function", function);
}
