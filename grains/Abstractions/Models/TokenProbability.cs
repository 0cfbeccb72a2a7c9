namespace ModelRunner.Grains.Models;

/// <summary>A generated token with its log-probability and the most likely alternatives at that step.</summary>
/// <param name="Token">The token id.</param>
/// <param name="Bytes">The token's bytes (a token can be part of a UTF-8 character).</param>
/// <param name="Logprob">Natural log of its probability under the model.</param>
/// <param name="TopAlternatives">The most likely tokens at this step, most likely first.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.token-probability")]
public sealed record TokenProbability(
    [property: Id(0)] int Token,
    [property: Id(1)] byte[] Bytes,
    [property: Id(2)] float Logprob,
    [property: Id(3)] IReadOnlyList<TokenChoice> TopAlternatives)
{
    /// <summary>The token as text; a partial UTF-8 character shows as U+FFFD.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
}
