namespace ModelRunner.Grains.Models;

/// <summary>A token the model considered at a step, with its log-probability.</summary>
[GenerateSerializer, Immutable, Alias("modelrunner.token-choice")]
public sealed record TokenChoice([property: Id(0)] int Token, [property: Id(1)] byte[] Bytes, [property: Id(2)] float Logprob)
{
    /// <summary>The token as text; a partial UTF-8 character shows as U+FFFD.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
}
