using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// Where the store keeps things under its root:
/// <code>
/// layout.json                       marks the folder as a model store (purge refuses folders without it)
/// models.json                       the index: every model id and its tags; written last, atomically
/// manifests/sha256/&lt;hex&gt;          manifests as the registry served them; the model id is their digest
/// blobs/sha256/&lt;hex&gt;              configs, GGUF files, licenses, templates: content-addressed, verified
/// blobs/sha256/&lt;hex&gt;.incomplete   a download in progress or interrupted; resumed from its length (deleted after 7 days untouched)
/// tmp/                              temporary files, renamed into place when complete
/// </code>
/// Every name below the root comes from a validated <see cref="OciDigest"/>, never from user text.
/// </summary>
internal sealed class StoreLayout
{
    public const string PartialSuffix = ".incomplete";

    public StoreLayout(string root)
    {
        Root = Path.GetFullPath(root);
        BlobsDirectory = Path.Combine(Root, "blobs", "sha256");
        ManifestsDirectory = Path.Combine(Root, "manifests", "sha256");
        TempDirectory = Path.Combine(Root, "tmp");
        IndexPath = Path.Combine(Root, "models.json");
        LayoutPath = Path.Combine(Root, "layout.json");
    }

    public string Root { get; }

    public string BlobsDirectory { get; }

    public string ManifestsDirectory { get; }

    public string TempDirectory { get; }

    public string IndexPath { get; }

    public string LayoutPath { get; }

    public string BlobPath(OciDigest digest) => Path.Combine(BlobsDirectory, digest.Hex);

    public string PartialPath(OciDigest digest) => Path.Combine(BlobsDirectory, digest.Hex + PartialSuffix);

    public string ManifestPath(OciDigest digest) => Path.Combine(ManifestsDirectory, digest.Hex);

    /// <summary>A fresh temporary file name on the store's file system, so renaming it into place is atomic.</summary>
    public string NewTempPath() => Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");
}
