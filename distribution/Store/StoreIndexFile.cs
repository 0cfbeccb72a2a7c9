using System.Text.Json;
using ModelRunner.Distribution.IO;
using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// <c>index.json</c>, the list of models and their tags: what the store lists. It is only ever
/// replaced whole (temp file, fsync, rename), so a crash leaves the old index or the new one; a
/// model is in it only once its manifest and blobs are in place. Not thread-safe: the store calls it
/// under its gate.
/// </summary>
internal sealed class StoreIndexFile(StoreLayout layout)
{
    public StoreIndex Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(layout.IndexPath);
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
            throw new DistributionException($"the store index {layout.IndexPath} is not valid JSON ({e.Message}); it is only ever replaced whole, so something else wrote it", e);
        }
    }

    public void Write(StoreIndex index) =>
        AtomicFile.Write(layout.IndexPath, JsonSerializer.SerializeToUtf8Bytes(index, DistributionJsonContext.Default.StoreIndex), layout.NewTempPath(), layout.Root);

    /// <summary><paramref name="tags"/> on model <paramref name="id"/>, taken from any other model that had them.</summary>
    public static StoreIndex WithTags(StoreIndex index, string id, IReadOnlyList<string> tags) => index with
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
    public static (StoreIndexEntry Entry, string? Tag)? Resolve(StoreIndex index, ModelReference reference)
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
}
