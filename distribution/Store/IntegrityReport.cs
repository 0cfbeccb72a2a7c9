namespace ModelRunner.Distribution.Store;

/// <summary>The outcome of <see cref="IModelStore.VerifyAsync"/>.</summary>
/// <param name="BlobsChecked">How many blobs were re-hashed.</param>
/// <param name="BytesChecked">How many bytes were re-hashed.</param>
/// <param name="Problems">What was wrong.</param>
/// <param name="RemovedModels">With repair: the ids of the models removed because something of theirs was broken (pull them again).</param>
/// <param name="Repaired">Whether broken files and the models using them were removed.</param>
public sealed record IntegrityReport(int BlobsChecked, long BytesChecked, IReadOnlyList<IntegrityProblem> Problems, IReadOnlyList<string> RemovedModels, bool Repaired)
{
    /// <summary>True when nothing was wrong.</summary>
    public bool Healthy => Problems.Count == 0;
}
