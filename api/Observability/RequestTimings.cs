namespace ModelRunner.Api.Observability;

/// <summary>Timings of a recorded request, in milliseconds, and its decode speed.</summary>
public sealed record RequestTimings(double TimeToFirstTokenMs, double TotalMs, double TokensPerSecond);
