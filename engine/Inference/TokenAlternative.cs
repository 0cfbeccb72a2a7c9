namespace ModelRunner.Engine.Inference;

/// <summary>A token the model considered at a step, with its log-probability.</summary>
public sealed record TokenAlternative(int Token, byte[] Bytes, float Logprob)
{
    /// <summary>The token as text; a partial UTF-8 character shows as U+FFFD.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
}
