namespace ModelRunner.Bench.Peer;

/// <summary>A streamed answer as the client saw it.</summary>
/// <param name="TimeToFirstToken">From sending the request to the first piece of text.</param>
/// <param name="Streaming">From the first piece of text to the last.</param>
/// <param name="ServerDecodeRate">The server's own decode tokens/s (<c>timings.predicted_per_second</c>), 0 if it sent none.</param>
internal sealed record StreamedCompletion(string Text, int Tokens, TimeSpan TimeToFirstToken, TimeSpan Streaming, double ServerDecodeRate)
{
    /// <summary>Decode tokens/s after the first token.</summary>
    public double DecodeRate => Tokens > 1 && Streaming > TimeSpan.Zero ? (Tokens - 1) / Streaming.TotalSeconds : 0;
}
