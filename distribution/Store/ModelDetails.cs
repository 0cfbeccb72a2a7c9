using ModelRunner.Distribution.Artifacts;

namespace ModelRunner.Distribution.Store;

/// <summary>Everything about a stored model that its tags do not change; cached per model id because ids are immutable.</summary>
internal sealed record ModelDetails(
    ModelArtifact Artifact,
    ModelConfig Config,
    DateTimeOffset Created,
    IReadOnlyList<string> GgufPaths,
    IReadOnlyList<string> LicensePaths,
    string? ChatTemplatePath,
    string? MultimodalProjectorPath,
    long Size)
{
    public LocalModel ToModel(IReadOnlyList<string> tags) => new()
    {
        Id = Artifact.Digest.ToString(),
        Tags = tags,
        Created = Created,
        Config = Config,
        Format = Artifact.Format,
        GgufPaths = GgufPaths,
        LicensePaths = LicensePaths,
        ChatTemplatePath = ChatTemplatePath,
        MultimodalProjectorPath = MultimodalProjectorPath,
        Size = Size,
    };
}
