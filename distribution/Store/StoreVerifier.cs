using Microsoft.Extensions.Logging;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// The store's integrity check: every indexed model has a manifest that hashes to its id and every
/// blob it names at its size; every complete blob hashes to its name. Only reads: repairing is the
/// store's, under its gate. Partial downloads are not blobs yet and are left alone.
/// </summary>
internal sealed partial class StoreVerifier(StoreLayout layout, ILogger logger)
{
    private const int HashBufferBytes = 1024 * 1024;

    /// <param name="index">The index as it was read when the check began.</param>
    public async Task<StoreFindings> CheckAsync(StoreIndex index, CancellationToken cancellationToken)
    {
        var findings = new StoreFindings();
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in index.Models)
        {
            if (await CheckModelAsync(entry, findings, cancellationToken).ConfigureAwait(false) is { } artifact)
            {
                foreach (var blob in artifact.Blobs)
                {
                    if (!users.TryGetValue(blob.Digest.Hex, out var list))
                    {
                        users[blob.Digest.Hex] = list = [];
                    }

                    list.Add(entry.Id);
                }
            }
        }

        var buffer = new byte[HashBufferBytes];
        foreach (var file in new DirectoryInfo(layout.BlobsDirectory).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.EndsWith(StoreLayout.PartialSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var actual = await BlobFiles.HashFileAsync(file.FullName, buffer, cancellationToken).ConfigureAwait(false);
            findings.CheckedBlobs++;
            findings.CheckedBytes += file.Length;
            if (actual.Hex != file.Name)
            {
                var modelIds = users.GetValueOrDefault(file.Name) ?? [];
                var usedBy = modelIds.Count == 0 ? "no model uses it" : $"used by {string.Join(", ", modelIds.Select(Short))}";
                findings.Add(new(IntegrityProblemKind.CorruptBlob, OciDigest.Sha256Prefix + file.Name, modelIds, $"blob sha256:{file.Name} is corrupt: its content hashes to {actual} ({usedBy})"), file.FullName);
            }
        }

        foreach (var problem in findings.Problems)
        {
            LogProblem(logger, problem.Message);
        }

        LogChecked(logger, index.Models.Count, findings.CheckedBlobs, findings.CheckedBytes, findings.Problems.Count);
        return findings;
    }

    /// <summary>The model's artifact when its manifest is whole; its blobs' sizes are checked too.</summary>
    private async Task<ModelArtifact?> CheckModelAsync(StoreIndexEntry entry, StoreFindings findings, CancellationToken cancellationToken)
    {
        if (!OciDigest.TryParse(entry.Id, out var id))
        {
            findings.Add(new(IntegrityProblemKind.CorruptManifest, entry.Id, [entry.Id], $"the index lists '{entry.Id}', which is not a model id"));
            return null;
        }

        var manifestPath = layout.ManifestPath(id);
        if (!File.Exists(manifestPath))
        {
            findings.Add(new(IntegrityProblemKind.MissingManifest, entry.Id, [entry.Id], $"the manifest of model {Short(entry.Id)} ({Tags(entry)}) is missing"));
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        if (OciDigest.Compute(bytes) != id)
        {
            findings.Add(new(IntegrityProblemKind.CorruptManifest, entry.Id, [entry.Id], $"the manifest of model {Short(entry.Id)} ({Tags(entry)}) does not hash to its id"), manifestPath);
            return null;
        }

        ModelArtifact artifact;
        try
        {
            artifact = ModelArtifact.Parse(bytes, entry.Id);
        }
        catch (UnsupportedArtifactException e)
        {
            findings.Add(new(IntegrityProblemKind.CorruptManifest, entry.Id, [entry.Id], e.Message), manifestPath);
            return null;
        }

        foreach (var blob in artifact.Blobs)
        {
            var length = BlobFiles.Length(layout.BlobPath(blob.Digest));
            if (length != blob.Size)
            {
                var what = length < 0 ? "is missing" : $"has {length} bytes instead of {blob.Size}";
                findings.Add(new(IntegrityProblemKind.MissingBlob, blob.Digest.ToString(), [entry.Id], $"blob {blob.Digest} of model {Short(entry.Id)} ({Tags(entry)}) {what}"));
            }
        }

        return artifact;
    }

    internal static string Short(string id) => id.StartsWith(OciDigest.Sha256Prefix, StringComparison.Ordinal) && id.Length >= 19 ? id[7..19] : id;

    internal static string Tags(StoreIndexEntry entry) => entry.Tags.Count == 0 ? "untagged" : string.Join(", ", entry.Tags);
}
