namespace ModelRunner.Bench.Soak;

/// <summary>One request of the soak: what it was, when it started (since the soak began), how it ended, and its time to first token when it streamed.</summary>
internal sealed record SoakSample(string Kind, TimeSpan At, SoakOutcome Outcome, double? FirstTokenMs, string? Error);
