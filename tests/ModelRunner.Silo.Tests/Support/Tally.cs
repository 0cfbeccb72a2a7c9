namespace ModelRunner.Silo.Tests.Support;

public sealed record Tally(int Count);
