namespace ModelRunner.Distribution.Artifacts;

/// <summary>Which family of media types an artifact uses.</summary>
public enum ArtifactFormat
{
    /// <summary>Docker Model Runner's <c>application/vnd.docker.ai.*</c> types.</summary>
    Docker,

    /// <summary>CNCF ModelPack's <c>application/vnd.cncf.model.*</c> types.</summary>
    ModelPack,
}
