namespace ModelRunner.Silo.Tests.Support;

/// <summary>One thing a test grain did: what, which key, and a detail (an activation id, a reason).</summary>
public sealed record ProbeEvent(string Kind, string Key, string? Detail = null);
