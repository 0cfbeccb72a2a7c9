using System.Collections.Concurrent;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.References;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// What the store knows of each model from its manifest and config, read once per model: manifests
/// and blobs never change under a model id, so a cached entry is stale only once the model is gone.
/// Thread-safe.
/// </summary>
internal sealed class ModelDetailsCache(StoreLayout layout)
{
    private readonly ConcurrentDictionary<OciDigest, ModelDetails> _details = new();

    /// <exception cref="DistributionException">The model is damaged (run the integrity check).</exception>
    public ModelDetails Get(StoreIndexEntry entry) => TryGet(entry, out var details, out var error) ? details : throw error;

    public bool TryGet(StoreIndexEntry entry, out ModelDetails details, out DistributionException error)
    {
        details = null!;
        error = null!;
        if (!OciDigest.TryParse(entry.Id, out var id))
        {
            error = new DistributionException($"the store index lists '{entry.Id}', which is not a model id; run the integrity check with repair");
            return false;
        }

        try
        {
            details = _details.GetOrAdd(id, Load);
            return true;
        }
        catch (Exception e) when (e is IOException or UnsupportedArtifactException or GgufFormatException or UnauthorizedAccessException)
        {
            error = new DistributionException($"model {StoreVerifier.Short(entry.Id)} ({StoreVerifier.Tags(entry)}) is damaged: {e.Message}; run the integrity check with repair, then pull it again", e);
            return false;
        }
    }

    /// <summary>The details already read, without touching the disk.</summary>
    public ModelDetails? Cached(OciDigest id) => _details.GetValueOrDefault(id);

    /// <summary>Forgets every model whose id (hex) is not in <paramref name="used"/>.</summary>
    public void KeepOnly(IReadOnlySet<string> used)
    {
        foreach (var id in _details.Keys)
        {
            if (!used.Contains(id.Hex))
            {
                _details.TryRemove(id, out _);
            }
        }
    }

    public void Clear() => _details.Clear();

    private ModelDetails Load(OciDigest id)
    {
        var manifestPath = layout.ManifestPath(id);
        var artifact = ModelArtifact.Parse(File.ReadAllBytes(manifestPath), id.ToString());
        var configBytes = File.ReadAllBytes(layout.BlobPath(artifact.Config.Digest));
        var (config, created) = ModelConfigReader.Read(artifact, configBytes, id.ToString());
        var ggufPaths = artifact.GgufLayers.Select(l => layout.BlobPath(l.Digest)).ToArray();
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
            [.. artifact.Layers.Where(l => l.Role == LayerRole.License).Select(l => layout.BlobPath(l.Digest))],
            artifact.Layers.Where(l => l.Role == LayerRole.ChatTemplate).Select(l => layout.BlobPath(l.Digest)).FirstOrDefault(),
            artifact.Layers.Where(l => l.Role == LayerRole.MultimodalProjector).Select(l => layout.BlobPath(l.Digest)).FirstOrDefault(),
            artifact.Blobs.Sum(b => b.Size));
    }
}
