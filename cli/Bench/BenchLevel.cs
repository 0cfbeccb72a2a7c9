namespace ModelRunner.Cli.Bench;

/// <summary>What one concurrency level measured: requests done and failed, completion tokens, and each request's time to first token.</summary>
internal sealed record BenchLevel(int Concurrency, int Requests, int Errors, long CompletionTokens, TimeSpan Elapsed, IReadOnlyList<TimeSpan> TimesToFirstToken)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double TokensPerSecond => CompletionTokens / Elapsed.TotalSeconds;

    public TimeSpan? FirstTokenP50 => Percentile(0.50);

    public TimeSpan? FirstTokenP99 => Percentile(0.99);

    /// <summary>Nearest rank: the smallest time at least <paramref name="fraction"/> of the requests were as fast as.</summary>
    private TimeSpan? Percentile(double fraction)
    {
        if (TimesToFirstToken.Count == 0)
        {
            return null;
        }

        var sorted = TimesToFirstToken.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
