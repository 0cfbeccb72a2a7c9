namespace ModelRunner.Distribution.Artifacts;

/// <summary>What a layer is for, whatever format's media type says so.</summary>
internal enum LayerRole
{
    Other,
    Gguf,
    License,
    ChatTemplate,

    /// <summary>A multimodal projector (GGUF), kept with the model; this engine does not load it yet.</summary>
    MultimodalProjector,
}
