using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.IO;
using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// The model store on the local file system (see <see cref="StoreLayout"/> for the files), in three parts each
/// crash-safe on its own: <see cref="BlobFiles"/> (a blob appears only whole), manifests (written whole before the
/// index names them) and <see cref="StoreIndexFile"/> (replaced whole). Crash safety of the whole comes from the
/// order of writes: blobs first, then the manifest, and the index last; removal updates the index first and deletes
/// files after. A crash therefore leaves either the old index or the new one, at worst with unused files that the
/// next garbage collection removes. <see cref="StoreVerifier"/> checks it.
/// </summary>
internal sealed partial class LocalModelStore : IModelStore
{
    /// <summary>Partial downloads untouched for this long are deleted when the store is opened, as Docker Model Runner does.</summary>
    internal static readonly TimeSpan StalePartialAge = TimeSpan.FromDays(7);

    // Guards every read-modify-write of the index, garbage collection and the pin counts.
    private readonly Lock _gate = new();
    private readonly Dictionary<OciDigest, int> _pins = [];
    private readonly ModelDetailsCache _details;
    private readonly StoreIndexFile _index;
    private readonly BlobFiles _blobs;
    private readonly StoreVerifier _verifier;
    private readonly ILogger _logger;

    /// <summary>Opens the store at <paramref name="root"/>, creating it when absent; deletes what a crash left half-written.</summary>
    /// <param name="logger">Where opening and checks are logged; default nowhere.</param>
    /// <exception cref="DistributionException">The folder exists, is not empty and is not a model store.</exception>
    public LocalModelStore(string root, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Layout = new StoreLayout(root);
        _logger = logger ?? NullLogger.Instance;
        _index = new StoreIndexFile(Layout);
        _blobs = new BlobFiles(Layout);
        _verifier = new StoreVerifier(Layout, _logger);
        _details = new ModelDetailsCache(Layout);
        if (!File.Exists(Layout.LayoutPath) && Directory.Exists(Layout.Root) && Directory.EnumerateFileSystemEntries(Layout.Root).Any()
            && !File.Exists(Layout.IndexPath))
        {
            // Purge deletes everything below the root; never adopt a folder that holds something else.
            throw new DistributionException($"{Layout.Root} is not empty and is not a model store (it has no layout.json); choose another MODELS_PATH");
        }

        Directory.CreateDirectory(Layout.BlobsDirectory);
        Directory.CreateDirectory(Layout.ManifestsDirectory);
        Directory.CreateDirectory(Layout.TempDirectory);
        if (!File.Exists(Layout.LayoutPath))
        {
            AtomicFile.Write(Layout.LayoutPath, JsonSerializer.SerializeToUtf8Bytes(new StoreLayoutFile(), DistributionJsonContext.Default.StoreLayoutFile), Layout.NewTempPath(), Layout.Root);
        }

        // Temporary files are only ever renamed into place when complete; any left here are from a crash.
        var leftovers = 0;
        foreach (var stale in Directory.EnumerateFiles(Layout.TempDirectory))
        {
            AtomicFile.TryDelete(stale);
            leftovers++;
        }

        if (leftovers > 0)
        {
            LogLeftovers(_logger, leftovers, Layout.Root);
        }

        // A pull abandoned a week ago is not coming back for its partial file; the space is worth more.
        foreach (var partial in new DirectoryInfo(Layout.BlobsDirectory).EnumerateFiles("*" + StoreLayout.PartialSuffix))
        {
            if (DateTime.UtcNow - partial.LastWriteTimeUtc > StalePartialAge)
            {
                AtomicFile.TryDelete(partial.FullName);
            }
        }
    }

    public StoreLayout Layout { get; }

    public string RootPath => Layout.Root;

    public IReadOnlyList<LocalModel> List()
    {
        var index = ReadIndexLocked();
        var models = new List<LocalModel>(index.Models.Count);
        foreach (var entry in index.Models)
        {
            // A damaged model is left out rather than failing the whole list; VerifyAsync reports it.
            if (_details.TryGet(entry, out var details, out _))
            {
                models.Add(details.ToModel(entry.Tags));
            }
        }

        return models;
    }

    public LocalModel? Find(string reference)
    {
        var parsed = ModelReference.Parse(reference);
        var index = ReadIndexLocked();
        return StoreIndexFile.Resolve(index, parsed) is { } match ? Details(match.Entry).ToModel(match.Entry.Tags) : null;
    }

    public LocalModel Get(string reference) => Find(reference) ?? throw NotFound(reference);

    public LocalModel Tag(string source, string target)
    {
        var from = ModelReference.Parse(source);
        var to = ModelReference.Parse(target);
        if (to.IsIdOnly || to.Digest is not null || to.Tag is null)
        {
            throw new InvalidReferenceException($"'{target}' cannot be a tag: it must be a name with an optional :tag, not an id or digest");
        }

        lock (_gate)
        {
            var index = ReadIndex();
            var match = StoreIndexFile.Resolve(index, from) ?? throw NotFound(source);
            index = StoreIndexFile.WithTags(index, match.Entry.Id, [to.FamiliarName]);
            WriteIndex(index);
            var entry = index.Models.First(m => m.Id == match.Entry.Id);
            return Details(entry).ToModel(entry.Tags);
        }
    }

    public RemoveResult Remove(string reference, bool force = false)
    {
        var parsed = ModelReference.Parse(reference);
        lock (_gate)
        {
            var index = ReadIndex();
            var (entry, tag) = StoreIndexFile.Resolve(index, parsed) ?? throw NotFound(reference);
            if (tag is not null)
            {
                var remaining = entry.Tags.Where(t => t != tag).ToArray();
                if (remaining.Length > 0)
                {
                    WriteIndex(index with { Models = [.. index.Models.Select(m => m.Id == entry.Id ? m with { Tags = remaining } : m)] });
                    return new RemoveResult([tag], null);
                }
            }
            else if (entry.Tags.Count > 1 && !force)
            {
                throw new ModelConflictException(
                    $"model {Short(entry.Id)} is tagged {string.Join(", ", entry.Tags)}; remove the tags one by one, or force the removal to delete the model and all its tags");
            }

            // The index goes first: once it no longer lists the model, a crash can only leave unused files behind.
            index = index with { Models = [.. index.Models.Where(m => m.Id != entry.Id)] };
            WriteIndex(index);
            CollectGarbage(index);
            return new RemoveResult(tag is null ? entry.Tags : [tag], entry.Id);
        }
    }

    public IReadOnlyList<string> Purge()
    {
        lock (_gate)
        {
            var index = ReadIndex();
            WriteIndex(new StoreIndex());
            foreach (var folder in new[] { Path.Combine(Layout.Root, "blobs"), Path.Combine(Layout.Root, "manifests"), Layout.TempDirectory })
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            Directory.CreateDirectory(Layout.BlobsDirectory);
            Directory.CreateDirectory(Layout.ManifestsDirectory);
            Directory.CreateDirectory(Layout.TempDirectory);
            _details.Clear();
            return [.. index.Models.Select(m => m.Id)];
        }
    }

    public StoreUsage GetUsage()
    {
        lock (_gate)
        {
            var index = ReadIndex();
            var used = UsedDigests(index);
            long model = Length(Layout.IndexPath) + Length(Layout.LayoutPath), incomplete = 0, other = 0;
            foreach (var file in new DirectoryInfo(Layout.BlobsDirectory).EnumerateFiles())
            {
                if (file.Name.EndsWith(StoreLayout.PartialSuffix, StringComparison.Ordinal))
                {
                    incomplete += file.Length;
                }
                else if (used.Contains(file.Name))
                {
                    model += file.Length;
                }
                else
                {
                    other += file.Length;
                }
            }

            foreach (var file in new DirectoryInfo(Layout.ManifestsDirectory).EnumerateFiles())
            {
                if (used.Contains(file.Name))
                {
                    model += file.Length;
                }
                else
                {
                    other += file.Length;
                }
            }

            other += new DirectoryInfo(Layout.TempDirectory).EnumerateFiles().Sum(f => f.Length);
            return new StoreUsage(index.Models.Count, model, incomplete, other);
        }
    }

    public async Task<IntegrityReport> VerifyAsync(bool repair, CancellationToken cancellationToken = default)
    {
        var findings = await _verifier.CheckAsync(ReadIndexLocked(), cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        if (repair)
        {
            lock (_gate)
            {
                foreach (var path in findings.CorruptFiles)
                {
                    AtomicFile.TryDelete(path);
                }

                var current = ReadIndex();
                removed.AddRange(current.Models.Where(m => findings.Broken.Contains(m.Id)).Select(m => m.Id));
                current = current with { Models = [.. current.Models.Where(m => !findings.Broken.Contains(m.Id))] };
                WriteIndex(current);
                CollectGarbage(current);
            }
        }

        return new IntegrityReport(findings.CheckedBlobs, findings.CheckedBytes, findings.Problems, removed, repair);
    }

    public StoredManifest? FindManifest(string reference)
    {
        var parsed = ModelReference.Parse(reference);
        var index = ReadIndexLocked();
        if (StoreIndexFile.Resolve(index, parsed) is not { } match || !OciDigest.TryParse(match.Entry.Id, out var id))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Layout.ManifestPath(id));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var mediaType = JsonSerializer.Deserialize(bytes, DistributionJsonContext.Default.OciManifest)?.MediaType ?? ModelMediaTypes.OciManifest;
        return new StoredManifest(id.ToString(), mediaType, bytes);
    }

    public Stream? OpenBlob(OciDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return _blobs.Open(digest);
    }

    public string? FindBlobPath(OciDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var path = Layout.BlobPath(digest);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Is the blob complete in the store (present with the expected size)?</summary>
    internal bool HasBlob(OciDigest digest, long size) => _blobs.Has(digest, size);

    /// <summary>The model whose id is <paramref name="id"/>, or null.</summary>
    internal LocalModel? FindById(OciDigest id)
    {
        var index = ReadIndexLocked();
        var entry = index.Models.FirstOrDefault(m => m.Id == id.ToString());
        return entry is null ? null : Details(entry).ToModel(entry.Tags);
    }

    internal BlobPins CreatePins() => new(this);

    internal void ChangePins(IEnumerable<OciDigest> digests, int delta)
    {
        lock (_gate)
        {
            foreach (var digest in digests)
            {
                var count = _pins.GetValueOrDefault(digest) + delta;
                if (count > 0)
                {
                    _pins[digest] = count;
                }
                else
                {
                    _pins.Remove(digest);
                }
            }
        }
    }

    /// <summary>
    /// After a pull failed for good (bad content, full disk): deletes what it left of <paramref name="digests"/>, whole
    /// or partial, unless a model or another operation uses them, so the failure adds nothing to the store.
    /// </summary>
    internal void Discard(IEnumerable<OciDigest> digests)
    {
        lock (_gate)
        {
            var used = UsedDigests(ReadIndex());
            foreach (var digest in digests)
            {
                if (!used.Contains(digest.Hex))
                {
                    AtomicFile.TryDelete(Layout.BlobPath(digest));
                    AtomicFile.TryDelete(Layout.PartialPath(digest));
                }
            }
        }
    }

    /// <summary>Writes a small blob (a config) and returns its digest; a no-op when it is already there.</summary>
    internal OciDigest WriteBlob(ReadOnlySpan<byte> content, BlobPins pins) => _blobs.Write(content, pins);

    /// <summary>Copies a file into the store, hashing it on the way, and returns its digest and size.</summary>
    /// <exception cref="StorageFullException">The disk filled up; nothing of the copy is left.</exception>
    internal async Task<(OciDigest Digest, long Size)> ImportFileAsync(string source, BlobPins pins, Action<long>? progress, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await _blobs.ImportAsync(input, null, Path.GetFileName(source), pins, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies a stream into the store as the blob <paramref name="expected"/>, hashing it on the way; content that
    /// does not hash to it is discarded.
    /// </summary>
    /// <exception cref="DigestMismatchException">The content does not match <paramref name="expected"/>; nothing is stored.</exception>
    /// <exception cref="StorageFullException">The disk filled up; nothing of the copy is left.</exception>
    internal async Task<long> ImportStreamAsync(Stream source, OciDigest expected, BlobPins pins, Action<long>? progress, CancellationToken cancellationToken) =>
        (await _blobs.ImportAsync(source, expected, expected.ShortId, pins, progress, cancellationToken).ConfigureAwait(false)).Size;

    /// <summary>
    /// Adds a model whose blobs are all in place: writes its manifest, then the index with <paramref name="tags"/>
    /// (moved from any model that had them). The index is the last write, so a model is listed only when whole.
    /// </summary>
    /// <exception cref="DistributionException">A blob is missing: the caller's verification failed to hold.</exception>
    internal LocalModel Commit(ReadOnlySpan<byte> manifestBytes, ModelArtifact artifact, IReadOnlyList<ModelReference> tags)
    {
        foreach (var blob in artifact.Blobs)
        {
            if (!HasBlob(blob.Digest, blob.Size))
            {
                throw new DistributionException($"cannot add model {Short(artifact.Digest.ToString())}: blob {blob.Digest} is missing from the store (was it purged meanwhile?)");
            }
        }

        var manifestPath = Layout.ManifestPath(artifact.Digest);
        if (Length(manifestPath) != manifestBytes.Length)
        {
            AtomicFile.Write(manifestPath, manifestBytes, Layout.NewTempPath(), Layout.Root);
        }

        lock (_gate)
        {
            var index = ReadIndex();
            var id = artifact.Digest.ToString();
            if (index.Models.All(m => m.Id != id))
            {
                index = index with { Models = [.. index.Models, new StoreIndexEntry { Id = id }] };
            }

            index = StoreIndexFile.WithTags(index, id, [.. tags.Select(t => t.FamiliarName)]);
            WriteIndex(index);
            var entry = index.Models.First(m => m.Id == id);
            return Details(entry).ToModel(entry.Tags);
        }
    }

    private ModelDetails Details(StoreIndexEntry entry) => _details.Get(entry);

    /// <summary>Deletes manifests and blobs that no indexed model uses and no operation in progress has pinned. Call under the gate.</summary>
    private void CollectGarbage(StoreIndex index)
    {
        var used = UsedDigests(index);
        foreach (var file in Directory.EnumerateFiles(Layout.ManifestsDirectory))
        {
            if (!used.Contains(Path.GetFileName(file)))
            {
                AtomicFile.TryDelete(file);
            }
        }

        foreach (var file in Directory.EnumerateFiles(Layout.BlobsDirectory))
        {
            var name = Path.GetFileName(file);
            if (!name.EndsWith(StoreLayout.PartialSuffix, StringComparison.Ordinal) && !used.Contains(name))
            {
                AtomicFile.TryDelete(file);
            }
        }

        _details.KeepOnly(used);
    }

    /// <summary>The hex of every manifest and blob the indexed models use, plus pinned blobs. Call under the gate.</summary>
    private HashSet<string> UsedDigests(StoreIndex index)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pinned in _pins.Keys)
        {
            used.Add(pinned.Hex);
        }

        foreach (var entry in index.Models)
        {
            if (!OciDigest.TryParse(entry.Id, out var id))
            {
                continue;
            }

            used.Add(id.Hex);
            try
            {
                var artifact = _details.Cached(id)?.Artifact ?? ModelArtifact.Parse(File.ReadAllBytes(Layout.ManifestPath(id)), entry.Id);
                foreach (var blob in artifact.Blobs)
                {
                    used.Add(blob.Digest.Hex);
                }
            }
            catch (Exception e) when (e is IOException or UnsupportedArtifactException)
            {
                // A damaged model's blobs cannot be known; the integrity check deals with it.
            }
        }

        return used;
    }

    private StoreIndex ReadIndexLocked()
    {
        lock (_gate)
        {
            return ReadIndex();
        }
    }

    private StoreIndex ReadIndex() => _index.Read();

    private void WriteIndex(StoreIndex index) => _index.Write(index);

    private static long Length(string path) => BlobFiles.Length(path);

    private static string Short(string id) => StoreVerifier.Short(id);

    private static string Tags(StoreIndexEntry entry) => StoreVerifier.Tags(entry);

    private static ModelNotFoundException NotFound(string reference) => new($"model '{reference}' is not in the local store; pull it first", remote: false);
}
