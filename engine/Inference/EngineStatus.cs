namespace ModelRunner.Engine.Inference;

/// <summary>A snapshot of what an <see cref="InferenceEngine"/> is doing.</summary>
/// <param name="Sequences">Sequences in the context.</param>
/// <param name="ActiveRequests">Requests holding a sequence (evaluating their prompt or generating).</param>
/// <param name="QueuedRequests">Requests waiting for a free sequence.</param>
/// <param name="SavedInMemory">Evicted sequences kept in RAM.</param>
/// <param name="SavedMemoryBytes">RAM they use.</param>
/// <param name="SavedOnDisk">Evicted sequences kept on disk.</param>
/// <param name="SavedDiskBytes">Disk they use.</param>
public sealed record EngineStatus(int Sequences, int ActiveRequests, int QueuedRequests, int SavedInMemory, long SavedMemoryBytes, int SavedOnDisk, long SavedDiskBytes);
