using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.IO;
using ModelRunner.Distribution.References;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// The model store on the local file system (see <see cref="StoreLayout"/> for the files). Crash safety comes from
/// the order of writes: blobs are verified and renamed into place first, then the manifest, and the index last, each
/// by temp file + fsync + rename; removal updates the index first and deletes files after. A crash therefore leaves
/// either the old index or the new one, at worst with unused files that the next garbage collection removes.
/// </summary>
internal sealed class LocalModelStore : IModelStore
{
    private const int CopyBufferBytes = 1024 * 1024;

    /// <summary>Partial downloads untouched for this long are deleted when the store is opened, as Docker Model Runner does.</summary>
    internal static readonly TimeSpan StalePartialAge = TimeSpan.FromDays(7);

    // Guards every read-modify-write of the index, garbage collection and the pin counts.
    private readonly Lock _gate = new();
    private readonly Dictionary<OciDigest, int> _pins = [];
    private readonly ConcurrentDictionary<OciDigest, ModelDetails> _details = new();

    /// <summary>Opens the store at <paramref name="root"/>, creating it when absent.</summary>
    /// <exception cref="DistributionException">The folder exists, is not empty and is not a model store.</exception>
    public LocalModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Layout = new StoreLayout(root);
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
        foreach (var stale in Directory.EnumerateFiles(Layout.TempDirectory))
        {
            AtomicFile.TryDelete(stale);
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
            if (TryDetails(entry, out var details))
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
        return Resolve(index, parsed) is { } match ? Details(match.Entry).ToModel(match.Entry.Tags) : null;
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
            var match = Resolve(index, from) ?? throw NotFound(source);
            index = WithTags(index, match.Entry.Id, [to.FamiliarName]);
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
            var (entry, tag) = Resolve(index, parsed) ?? throw NotFound(reference);
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
        var index = ReadIndexLocked();
        var problems = new List<IntegrityProblem>();
        var broken = new HashSet<string>(StringComparer.Ordinal);
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var corruptFiles = new List<string>();

        foreach (var entry in index.Models)
        {
            if (!OciDigest.TryParse(entry.Id, out var id))
            {
                problems.Add(new(IntegrityProblemKind.CorruptManifest, entry.Id, [entry.Id], $"the index lists '{entry.Id}', which is not a model id"));
                broken.Add(entry.Id);
                continue;
            }

            var manifestPath = Layout.ManifestPath(id);
            if (!File.Exists(manifestPath))
            {
                problems.Add(new(IntegrityProblemKind.MissingManifest, entry.Id, [entry.Id], $"the manifest of model {Short(entry.Id)} ({Tags(entry)}) is missing"));
                broken.Add(entry.Id);
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
            if (OciDigest.Compute(bytes) != id)
            {
                problems.Add(new(IntegrityProblemKind.CorruptManifest, entry.Id, [entry.Id], $"the manifest of model {Short(entry.Id)} ({Tags(entry)}) does not hash to its id"));
                broken.Add(entry.Id);
                corruptFiles.Add(manifestPath);
                continue;
            }

            ModelArtifact artifact;
            try
            {
                artifact = ModelArtifact.Parse(bytes, entry.Id);
            }
            catch (UnsupportedArtifactException e)
            {
                problems.Add(new(IntegrityProblemKind.CorruptManifest, entry.Id, [entry.Id], e.Message));
                broken.Add(entry.Id);
                corruptFiles.Add(manifestPath);
                continue;
            }

            foreach (var blob in artifact.Blobs)
            {
                var key = blob.Digest.Hex;
                if (!users.TryGetValue(key, out var list))
                {
                    users[key] = list = [];
                }

                list.Add(entry.Id);
                var length = Length(Layout.BlobPath(blob.Digest));
                if (length != blob.Size)
                {
                    var what = length < 0 ? "is missing" : $"has {length} bytes instead of {blob.Size}";
                    problems.Add(new(IntegrityProblemKind.MissingBlob, blob.Digest.ToString(), [entry.Id], $"blob {blob.Digest} of model {Short(entry.Id)} ({Tags(entry)}) {what}"));
                    broken.Add(entry.Id);
                }
            }
        }

        int checkedBlobs = 0;
        long checkedBytes = 0;
        var hashBuffer = new byte[CopyBufferBytes];
        foreach (var file in new DirectoryInfo(Layout.BlobsDirectory).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.EndsWith(StoreLayout.PartialSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var actual = await HashFileAsync(file.FullName, hashBuffer, cancellationToken).ConfigureAwait(false);
            checkedBlobs++;
            checkedBytes += file.Length;
            if (actual.Hex != file.Name)
            {
                var modelIds = users.GetValueOrDefault(file.Name) ?? [];
                var usedBy = modelIds.Count == 0 ? "no model uses it" : $"used by {string.Join(", ", modelIds.Select(Short))}";
                problems.Add(new(IntegrityProblemKind.CorruptBlob, OciDigest.Sha256Prefix + file.Name, modelIds, $"blob sha256:{file.Name} is corrupt: its content hashes to {actual} ({usedBy})"));
                broken.UnionWith(modelIds);
                corruptFiles.Add(file.FullName);
            }
        }

        var removed = new List<string>();
        if (repair)
        {
            lock (_gate)
            {
                foreach (var path in corruptFiles)
                {
                    AtomicFile.TryDelete(path);
                }

                var current = ReadIndex();
                removed.AddRange(current.Models.Where(m => broken.Contains(m.Id)).Select(m => m.Id));
                current = current with { Models = [.. current.Models.Where(m => !broken.Contains(m.Id))] };
                WriteIndex(current);
                CollectGarbage(current);
            }
        }

        return new IntegrityReport(checkedBlobs, checkedBytes, problems, removed, repair);
    }

    public StoredManifest? FindManifest(string reference)
    {
        var parsed = ModelReference.Parse(reference);
        var index = ReadIndexLocked();
        if (Resolve(index, parsed) is not { } match || !OciDigest.TryParse(match.Entry.Id, out var id))
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
        try
        {
            return new FileStream(Layout.BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public string? FindBlobPath(OciDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var path = Layout.BlobPath(digest);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Is the blob complete in the store (present with the expected size)?</summary>
    internal bool HasBlob(OciDigest digest, long size) => Length(Layout.BlobPath(digest)) == size;

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
    internal OciDigest WriteBlob(ReadOnlySpan<byte> content, BlobPins pins)
    {
        var digest = OciDigest.Compute(content);
        pins.Add(digest);
        var path = Layout.BlobPath(digest);
        if (Length(path) != content.Length)
        {
            AtomicFile.Write(path, content, Layout.NewTempPath(), Layout.Root);
        }

        return digest;
    }

    /// <summary>Copies a file into the store, hashing it on the way, and returns its digest and size.</summary>
    /// <exception cref="StorageFullException">The disk filled up; nothing of the copy is left.</exception>
    internal async Task<(OciDigest Digest, long Size)> ImportFileAsync(string source, BlobPins pins, Action<long>? progress, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await ImportAsync(input, null, Path.GetFileName(source), pins, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies a stream into the store as the blob <paramref name="expected"/>, hashing it on the way; content that
    /// does not hash to it is discarded.
    /// </summary>
    /// <exception cref="DigestMismatchException">The content does not match <paramref name="expected"/>; nothing is stored.</exception>
    /// <exception cref="StorageFullException">The disk filled up; nothing of the copy is left.</exception>
    internal async Task<long> ImportStreamAsync(Stream source, OciDigest expected, BlobPins pins, Action<long>? progress, CancellationToken cancellationToken) =>
        (await ImportAsync(source, expected, expected.ShortId, pins, progress, cancellationToken).ConfigureAwait(false)).Size;

    private async Task<(OciDigest Digest, long Size)> ImportAsync(Stream input, OciDigest? expected, string what, BlobPins pins, Action<long>? progress, CancellationToken cancellationToken)
    {
        var temp = Layout.NewTempPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var buffer = new byte[CopyBufferBytes];
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    size += read;
                    progress?.Invoke(size);
                }

                output.Flush(flushToDisk: true);
            }

            var digest = OciDigest.FromHash(hash.GetHashAndReset());
            if (expected is not null && digest != expected)
            {
                throw new DigestMismatchException($"blob {expected} does not match its content, which hashes to {digest}; nothing was stored");
            }

            pins.Add(digest);
            AtomicFile.Commit(temp, Layout.BlobPath(digest));
            return (digest, size);
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e))
        {
            AtomicFile.TryDelete(temp);
            throw StorageErrors.DiskFull(Layout.Root, what, e);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

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

            index = WithTags(index, id, [.. tags.Select(t => t.FamiliarName)]);
            WriteIndex(index);
            var entry = index.Models.First(m => m.Id == id);
            return Details(entry).ToModel(entry.Tags);
        }
    }

    private static StoreIndex WithTags(StoreIndex index, string id, IReadOnlyList<string> tags) => index with
    {
        Models =
        [
            .. index.Models.Select(m => m.Id == id
                ? m with { Tags = [.. m.Tags, .. tags.Where(t => !m.Tags.Contains(t)).Distinct()] }
                : m with { Tags = [.. m.Tags.Where(t => !tags.Contains(t))] }),
        ],
    };

    /// <summary>
    /// Finds the model a reference names: an id (full or short), a digest, or a tag. The tag is returned when the
    /// match was by tag, because removing by tag untags while removing by id deletes.
    /// </summary>
    private static (StoreIndexEntry Entry, string? Tag)? Resolve(StoreIndex index, ModelReference reference)
    {
        if (reference.IsIdOnly || reference.Digest is not null)
        {
            var id = reference.Digest!.ToString();
            var byId = index.Models.FirstOrDefault(m => m.Id == id);
            return byId is null ? null : (byId, null);
        }

        if (reference.ShortId is { } shortId)
        {
            var candidates = index.Models.Where(m => m.Id.StartsWith(OciDigest.Sha256Prefix + shortId, StringComparison.Ordinal)).Take(2).ToArray();
            if (candidates.Length == 1)
            {
                return (candidates[0], null);
            }
        }

        var tag = reference.FamiliarName;
        var byTag = index.Models.FirstOrDefault(m => m.Tags.Contains(tag));
        return byTag is null ? null : (byTag, tag);
    }

    private ModelDetails Details(StoreIndexEntry entry) =>
        TryDetails(entry, out var details, out var error) ? details : throw error;

    private bool TryDetails(StoreIndexEntry entry, out ModelDetails details) => TryDetails(entry, out details, out _);

    private bool TryDetails(StoreIndexEntry entry, out ModelDetails details, out DistributionException error)
    {
        details = null!;
        error = null!;
        if (!OciDigest.TryParse(entry.Id, out var id))
        {
            error = new DistributionException($"the store index lists '{entry.Id}', which is not a model id; run the integrity check with repair");
            return false;
        }

        if (_details.TryGetValue(id, out details!))
        {
            return true;
        }

        try
        {
            details = _details.GetOrAdd(id, LoadDetails);
            return true;
        }
        catch (Exception e) when (e is IOException or UnsupportedArtifactException or GgufFormatException or UnauthorizedAccessException)
        {
            error = new DistributionException($"model {Short(entry.Id)} ({Tags(entry)}) is damaged: {e.Message}; run the integrity check with repair, then pull it again", e);
            return false;
        }
    }

    private ModelDetails LoadDetails(OciDigest id)
    {
        var manifestPath = Layout.ManifestPath(id);
        var artifact = ModelArtifact.Parse(File.ReadAllBytes(manifestPath), id.ToString());
        var configBytes = File.ReadAllBytes(Layout.BlobPath(artifact.Config.Digest));
        var (config, created) = ModelConfigReader.Read(artifact, configBytes, id.ToString());
        var ggufPaths = artifact.GgufLayers.Select(l => Layout.BlobPath(l.Digest)).ToArray();
        if (config.Gguf is null)
        {
            // ModelPack configs (and minimal Docker ones) carry no GGUF metadata; the header has it.
            config = ModelConfigReader.Complete(config, GgufConfigBuilder.Build(ggufPaths));
        }

        return new ModelDetails(
            artifact,
            config,
            created ?? new DateTimeOffset(File.GetLastWriteTimeUtc(manifestPath), TimeSpan.Zero),
            ggufPaths,
            [.. artifact.Layers.Where(l => l.Role == LayerRole.License).Select(l => Layout.BlobPath(l.Digest))],
            artifact.Layers.Where(l => l.Role == LayerRole.ChatTemplate).Select(l => Layout.BlobPath(l.Digest)).FirstOrDefault(),
            artifact.Layers.Where(l => l.Role == LayerRole.MultimodalProjector).Select(l => Layout.BlobPath(l.Digest)).FirstOrDefault(),
            artifact.Blobs.Sum(b => b.Size));
    }

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

        foreach (var id in _details.Keys)
        {
            if (!used.Contains(id.Hex))
            {
                _details.TryRemove(id, out _);
            }
        }
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
                var artifact = _details.TryGetValue(id, out var details)
                    ? details.Artifact
                    : ModelArtifact.Parse(File.ReadAllBytes(Layout.ManifestPath(id)), entry.Id);
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

    private StoreIndex ReadIndex()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Layout.IndexPath);
        }
        catch (FileNotFoundException)
        {
            return new StoreIndex();
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, DistributionJsonContext.Default.StoreIndex) ?? new StoreIndex();
        }
        catch (JsonException e)
        {
            throw new DistributionException($"the store index {Layout.IndexPath} is not valid JSON ({e.Message}); it is only ever replaced whole, so something else wrote it", e);
        }
    }

    private void WriteIndex(StoreIndex index) =>
        AtomicFile.Write(Layout.IndexPath, JsonSerializer.SerializeToUtf8Bytes(index, DistributionJsonContext.Default.StoreIndex), Layout.NewTempPath(), Layout.Root);

    internal static async Task<OciDigest> HashFileAsync(string path, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return OciDigest.FromHash(hash.GetHashAndReset());
    }

    private static long Length(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : -1;
    }

    private static string Short(string id) => id.StartsWith(OciDigest.Sha256Prefix, StringComparison.Ordinal) && id.Length >= 19 ? id[7..19] : id;

    private static string Tags(StoreIndexEntry entry) => entry.Tags.Count == 0 ? "untagged" : string.Join(", ", entry.Tags);

    private static ModelNotFoundException NotFound(string reference) => new($"model '{reference}' is not in the local store; pull it first", remote: false);
}
