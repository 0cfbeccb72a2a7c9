namespace ModelRunner.Distribution.HuggingFace;

/// <summary>The Hub's <c>/api/models/{repo}/revision/{revision}?blobs=true</c> answer, the parts a pull uses.</summary>
internal sealed record HubModelInfo
{
    public string? Id { get; init; }

    /// <summary>The commit the revision points at; downloads use it so every file comes from one commit.</summary>
    public string? Sha { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public IReadOnlyList<HubFile>? Siblings { get; init; }
}
