using System.Formats.Tar;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Archives;

/// <summary>
/// A model as one tar stream, the layout Docker Model Runner's export and load use:
/// <code>
/// blobs/sha256/&lt;hex&gt;   every layer, then the config
/// manifest.json          the manifest, exactly as stored (its digest is the model id); last
/// </code>
/// The manifest comes last so an archive can be written and read as a stream: a reader stores each blob as it
/// arrives (verified against the digest its name promises) and commits the model when the manifest names only blobs
/// it has. Tags are not part of the archive.
/// </summary>
internal sealed class ModelArchive(LocalModelStore store)
{
    public const string ManifestEntry = "manifest.json";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public async Task ExportAsync(string reference, Stream destination, CancellationToken cancellationToken)
    {
        var model = store.Find(reference) ?? throw new ModelNotFoundException($"model '{reference}' is not in the local store", remote: false);
        var manifest = store.FindManifest(model.Id) ?? throw new ModelNotFoundException($"model '{reference}' was removed meanwhile", remote: false);
        var artifact = ModelArtifact.Parse(manifest.Content.Span, reference);
        using var pins = store.CreatePins();
        var blobs = artifact.Layers.Append(artifact.Config).DistinctBy(b => b.Digest).ToArray();
        foreach (var blob in blobs)
        {
            pins.Add(blob.Digest);
        }

        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "blobs/") { Mode = FileMode | UnixFileMode.UserExecute }, cancellationToken).ConfigureAwait(false);
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "blobs/sha256/") { Mode = FileMode | UnixFileMode.UserExecute }, cancellationToken).ConfigureAwait(false);
            foreach (var blob in blobs)
            {
                var content = store.OpenBlob(blob.Digest)
                    ?? throw new ModelNotFoundException($"model '{reference}' was removed while it was being exported (blob {blob.Digest.ShortId} is gone)", remote: false);
                await using (content.ConfigureAwait(false))
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, $"blobs/sha256/{blob.Digest.Hex}") { Mode = FileMode, DataStream = content };
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }

            using var manifestStream = new MemoryStream(manifest.Content.ToArray(), writable: false);
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry) { Mode = FileMode, DataStream = manifestStream }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <exception cref="InvalidDataException">The archive is not a model archive: a bad entry name, no manifest, a blob the manifest needs is missing.</exception>
    /// <exception cref="DigestMismatchException">A blob does not hash to its name; nothing of it is stored.</exception>
    /// <exception cref="UnsupportedArtifactException">The manifest or config is not a model this runner can use.</exception>
    public async Task<LocalModel> LoadAsync(Stream archive, IReadOnlyList<string> tags, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var references = tags.Select(ModelPackager.ParseTag).ToArray();
        using var pins = store.CreatePins();
        var imported = new List<OciDigest>();
        try
        {
            byte[]? read;
            try
            {
                read = await ReadEntriesAsync(archive, pins, imported, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EndOfStreamException or FormatException)
            {
                throw new InvalidDataException($"the archive is not a whole tar stream ({e.Message})", e);
            }

            var manifestBytes = read ?? throw new InvalidDataException($"the archive has no {ManifestEntry}: it is not a model archive");
            var artifact = ModelArtifact.Parse(manifestBytes, "the archived model");
            if (artifact.Blobs.FirstOrDefault(b => !store.HasBlob(b.Digest, b.Size)) is { } missing)
            {
                throw new InvalidDataException($"the archive lacks blob {missing.Digest} ({missing.MediaType}, {missing.Size} bytes) that its manifest needs");
            }

            var config = store.OpenBlob(artifact.Config.Digest)!;
            await using (config.ConfigureAwait(false))
            {
                var bytes = new byte[artifact.Config.Size];
                await config.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                ModelConfigReader.Read(artifact, bytes, "the archived model");
            }

            var model = store.Commit(manifestBytes, artifact, references);
            reporter.Success($"Model loaded successfully ({model.ShortId})", model);
            return model;
        }
        catch
        {
            // A failed load adds nothing: the blobs it stored go, unless a model or another operation uses them.
            pins.Dispose();
            store.Discard(imported);
            throw;
        }
    }

    /// <summary>Stores every blob entry as it streams past; returns the manifest's bytes, or null when there was none.</summary>
    private async Task<byte[]?> ReadEntriesAsync(Stream archive, BlobPins pins, List<OciDigest> imported, TransferReporter reporter, CancellationToken cancellationToken)
    {
        byte[]? manifestBytes = null;
        var reader = new TarReader(archive, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    // Folders and anything else (DMR's own archives have the blobs/ folders) carry nothing to keep.
                    continue;
                }

                if (name == ManifestEntry)
                {
                    manifestBytes = await ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!name.StartsWith("blobs/", StringComparison.Ordinal))
                {
                    continue;
                }

                var digest = BlobDigest(name);
                if (store.HasBlob(digest, entry.Length))
                {
                    // Already here (a model sharing the weights): pinned, and the reader skips the bytes.
                    pins.Add(digest);
                    continue;
                }

                reporter.Status($"Loading blob {digest.ShortId}");
                imported.Add(digest);
                await store.ImportStreamAsync(entry.DataStream ?? Stream.Null, digest, pins, null, cancellationToken).ConfigureAwait(false);
            }
        }

        return manifestBytes;
    }

    private static async Task<byte[]> ReadManifestAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Length > ModelArtifact.MaxManifestBytes)
        {
            throw new InvalidDataException($"the archive's {ManifestEntry} is {entry.Length} bytes; at most {ModelArtifact.MaxManifestBytes} are accepted");
        }

        var bytes = new byte[entry.Length];
        if (entry.DataStream is { } data)
        {
            await data.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return bytes;
    }

    private static OciDigest BlobDigest(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != 3 || parts[1] != "sha256" || !OciDigest.TryParse(OciDigest.Sha256Prefix + parts[2], out var digest))
        {
            throw new InvalidDataException($"the archive entry '{name}' is not a blob: blobs are named blobs/sha256/<64 hex digits>");
        }

        return digest;
    }
}
