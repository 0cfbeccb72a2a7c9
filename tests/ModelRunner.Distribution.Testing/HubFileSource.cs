namespace ModelRunner.Distribution.Testing;

/// <summary>A file a <see cref="HubServer"/> repository serves: its path in the repository and where its bytes are.</summary>
public sealed record HubFileSource(string Name, string LocalPath);
