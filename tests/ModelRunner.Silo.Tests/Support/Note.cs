namespace ModelRunner.Silo.Tests.Support;

public sealed record Note(string Text, int Revision);
