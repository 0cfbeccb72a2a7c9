namespace ModelRunner.Engine.Inference;

/// <summary>
/// One step of a streamed generation: new text (never half a character, never part of a stop
/// string), the tokens' log-probabilities when asked for, and on the last update the <see cref="Result"/>.
/// </summary>
/// <param name="Text">Text generated since the previous update; may be empty.</param>
/// <param name="Logprobs">The tokens generated since the previous update, when log-probabilities were asked for.</param>
/// <param name="Result">Set on the last update only.</param>
public sealed record GenerationUpdate(string Text, IReadOnlyList<TokenLogprob>? Logprobs = null, GenerationResult? Result = null)
{
    /// <summary>
    /// The ids of the tokens generated since the previous update (their text is in <see cref="Text"/>
    /// unless held back). A conversation keeps them to continue from the exact tokens decoded.
    /// </summary>
    public IReadOnlyList<int> Tokens { get; init; } = [];
}
