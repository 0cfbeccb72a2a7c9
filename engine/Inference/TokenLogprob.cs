namespace ModelRunner.Engine.Inference;

/// <summary>A generated token with its log-probability and the most likely alternatives at that step.</summary>
/// <param name="Token">The token id.</param>
/// <param name="Bytes">The token's bytes (a token can be part of a UTF-8 character).</param>
/// <param name="Logprob">Natural log of its probability under the model (before sampling transforms).</param>
/// <param name="TopAlternatives">The most likely tokens at this step, most likely first.</param>
public sealed record TokenLogprob(int Token, byte[] Bytes, float Logprob, IReadOnlyList<TokenAlternative> TopAlternatives)
{
    /// <summary>The token as text; a partial UTF-8 character shows as U+FFFD.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
}
