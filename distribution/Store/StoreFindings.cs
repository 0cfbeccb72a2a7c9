namespace ModelRunner.Distribution.Store;

/// <summary>What <see cref="StoreVerifier"/> found: the problems, the models they break, and the files a repair deletes.</summary>
internal sealed class StoreFindings
{
    private readonly List<IntegrityProblem> _problems = [];

    public IReadOnlyList<IntegrityProblem> Problems => _problems;

    /// <summary>Ids of the models a problem makes unusable.</summary>
    public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);

    /// <summary>Manifests and blobs whose content is wrong: no repair can keep them.</summary>
    public List<string> CorruptFiles { get; } = [];

    public int CheckedBlobs { get; set; }

    public long CheckedBytes { get; set; }

    public void Add(IntegrityProblem problem, string? corruptFile = null)
    {
        _problems.Add(problem);
        Broken.UnionWith(problem.ModelIds);
        if (corruptFile is not null)
        {
            CorruptFiles.Add(corruptFile);
        }
    }
}
