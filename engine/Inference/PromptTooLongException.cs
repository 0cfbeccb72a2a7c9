namespace ModelRunner.Engine.Inference;

/// <summary>A prompt does not fit the context, with room left for at least one generated token.</summary>
public sealed class PromptTooLongException(int promptTokens, int contextSize)
    : ArgumentException($"the prompt has {promptTokens} tokens, but the context holds {contextSize} (prompt and answer together)")
{
    public int PromptTokens { get; } = promptTokens;

    public int ContextSize { get; } = contextSize;
}
