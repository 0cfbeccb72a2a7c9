namespace ModelRunner.Distribution.Artifacts;

/// <summary>
/// The media types of model artifacts: Docker Model Runner's format (what <c>package</c> writes and
/// <c>docker model</c> reads) and the CNCF ModelPack format (read only), plus the OCI manifest types.
/// </summary>
public static class ModelMediaTypes
{
    /// <summary>An OCI image manifest: the kind of manifest every model artifact is.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image index; a registry may answer a tag with one, and a model is picked from it.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker's schema 2 manifest, which some registries use for the same structure.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker's manifest list, the older equivalent of an index.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker Model Runner's model config: <c>{config:{format, quantization, …}, descriptor:{created}, rootfs}</c>.</summary>
    public const string DockerModelConfig = "application/vnd.docker.ai.model.config.v0.1+json";

    /// <summary>Docker Model Runner's later config version (a layer per file); read when its layers are GGUF.</summary>
    public const string DockerModelConfigV02 = "application/vnd.docker.ai.model.config.v0.2+json";

    /// <summary>A GGUF v3 file (one layer per shard, in order).</summary>
    public const string Gguf = "application/vnd.docker.ai.gguf.v3";

    /// <summary>A plain-text license.</summary>
    public const string License = "application/vnd.docker.ai.license";

    /// <summary>A Jinja chat template that overrides the one in the GGUF file.</summary>
    public const string ChatTemplate = "application/vnd.docker.ai.chat.template.jinja";

    /// <summary>A multimodal projector (kept in the store, not used by this engine yet).</summary>
    public const string MultimodalProjector = "application/vnd.docker.ai.mmproj";

    /// <summary>The multimodal projector's media type as the model specification's draft spells it; read as <see cref="MultimodalProjector"/>.</summary>
    public const string MultimodalProjectorSpec = "application/vnd.docker.ai.gguf.v3.mmproj";

    /// <summary>The CNCF ModelPack config.</summary>
    public const string ModelPackConfig = "application/vnd.cncf.model.config.v1+json";

    /// <summary>The CNCF ModelPack manifest artifact type.</summary>
    public const string ModelPackManifestArtifactType = "application/vnd.cncf.model.manifest.v1+json";

    /// <summary>A raw (unarchived, uncompressed) ModelPack weight file; GGUF when its file path ends in .gguf.</summary>
    public const string ModelPackWeightRaw = "application/vnd.cncf.model.weight.v1.raw";

    /// <summary>A GGUF ModelPack weight, as earlier Docker Model Runner versions wrote it.</summary>
    public const string ModelPackWeightGguf = "application/vnd.cncf.model.weight.v1.gguf";

    /// <summary>A raw ModelPack documentation file (README, LICENSE).</summary>
    public const string ModelPackDocRaw = "application/vnd.cncf.model.doc.v1.raw";

    /// <summary>A raw ModelPack weight config file (tokenizer, chat template).</summary>
    public const string ModelPackWeightConfigRaw = "application/vnd.cncf.model.weight.config.v1.raw";

    /// <summary>The layer annotation that holds a file's name or path inside the model.</summary>
    public const string FilePathAnnotation = "org.cncf.model.filepath";
}
