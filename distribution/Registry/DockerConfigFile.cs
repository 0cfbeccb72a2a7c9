namespace ModelRunner.Distribution.Registry;

/// <summary>The parts of Docker's <c>config.json</c> that hold credentials.</summary>
internal sealed record DockerConfigFile
{
    public IReadOnlyDictionary<string, DockerConfigAuth>? Auths { get; init; }

    public string? CredsStore { get; init; }

    public IReadOnlyDictionary<string, string>? CredHelpers { get; init; }
}
