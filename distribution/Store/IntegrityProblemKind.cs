namespace ModelRunner.Distribution.Store;

/// <summary>What an integrity check found wrong.</summary>
public enum IntegrityProblemKind
{
    /// <summary>A blob's content does not hash to its name.</summary>
    CorruptBlob,

    /// <summary>A model needs a blob that is not there, or has the wrong size.</summary>
    MissingBlob,

    /// <summary>A model's manifest does not hash to its id, or cannot be parsed.</summary>
    CorruptManifest,

    /// <summary>A model's manifest is not there.</summary>
    MissingManifest,
}
