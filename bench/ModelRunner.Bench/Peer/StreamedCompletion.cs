namespace ModelRunner.Bench.Peer;

/// <summary>A streamed answer as the client saw it.</summary>
/// <param name="TimeToFirstToken">From sending the request to the first piece of text.</param>
/// <param name="Streaming">From the first piece of text to the last.</param>
internal sealed record StreamedCompletion(string Text, int Tokens, TimeSpan TimeToFirstToken, TimeSpan Streaming)
{
    /// <summary>Decode tokens/s after the first token.</summary>
    public double DecodeRate => Tokens > 1 && Streaming > TimeSpan.Zero ? (Tokens - 1) / Streaming.TotalSeconds : 0;
}
