namespace ModelRunner.Engine.Sequences;

/// <summary>
/// What a saved sequence's KV state depends on: the model's weights and the context's KV layout.
/// llama.cpp restores a state only into the same layout, so files record it and are checked
/// against it before llama.cpp sees them.
/// </summary>
/// <param name="ModelFingerprint">Identifies the model's weights (see <c>LlamaModel.Fingerprint</c>).</param>
/// <param name="Sequences">Sequences (KV streams) in the context.</param>
/// <param name="ContextSize">Cells per sequence.</param>
/// <param name="KeyType">The ggml type of K cells.</param>
/// <param name="ValueType">The ggml type of V cells.</param>
internal sealed record SequenceLayout(string ModelFingerprint, int Sequences, int ContextSize, int KeyType, int ValueType)
{
    /// <summary>Why <paramref name="saved"/> cannot be restored here, or null when it can.</summary>
    public string? Incompatibility(SequenceLayout saved) =>
        saved.ModelFingerprint != ModelFingerprint ? "it was saved from another model"
        : saved.Sequences != Sequences ? $"it was saved from a context of {saved.Sequences} sequences, this one has {Sequences}"
        : saved.ContextSize != ContextSize ? $"it was saved from a context of {saved.ContextSize} tokens per sequence, this one has {ContextSize}"
        : saved.KeyType != KeyType || saved.ValueType != ValueType ? "it was saved with another KV cache type"
        : null;
}
