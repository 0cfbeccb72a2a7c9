using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.HuggingFace;

/// <summary>
/// Pulls <c>hf.co/org/repo[:quantization]</c>: lists the repository's files at revision <c>main</c>, picks the GGUF
/// file(s) for the quantization, downloads them from the commit <c>main</c> pointed at (so shards cannot come from two
/// commits) with the same resume and verification as registry blobs (the Hub's LFS SHA-256 is the blob digest), and
/// packages them in the store as a Docker-format artifact. The repository's last-modified time is the creation
/// time, so pulling the same commit again yields the same model id.
/// </summary>
internal sealed class HuggingFacePuller(LocalModelStore store, HuggingFaceClient hub, BlobFlights flights, TransferSettings settings)
{
    private const string Revision = "main";

    public async Task<LocalModel> PullAsync(ModelReference reference, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var repository = reference.HuggingFaceRepository!;
        var name = reference.FamiliarName;
        reporter.Status($"Fetching the file list of hf.co/{repository}");
        var info = await hub.GetModelInfoAsync(repository, Revision, reporter.Warning, cancellationToken).ConfigureAwait(false);
        var files = GgufFileSelector.Select(info.Siblings ?? [], reference.Tag, repository);
        var commit = info.Sha is { Length: 40 } sha && sha.All(char.IsAsciiHexDigit) ? sha : Revision;

        var layers = files.Select(file =>
        {
            if (!OciDigest.TryParse(OciDigest.Sha256Prefix + file.Lfs?.Sha256, out var digest) || (file.Lfs?.Size ?? file.Size) is not { } size || size < 0)
            {
                throw new UnsupportedArtifactException($"the Hub gives no SHA-256 and size for hf.co/{repository}/{file.Rfilename}, so it cannot be verified");
            }

            return new BlobDescriptor(digest, size, ModelMediaTypes.Gguf, LayerRole.Gguf, file.Rfilename);
        }).ToArray();

        reporter.Status($"Selected {string.Join(", ", layers.Select(l => l.FileName))}");
        var missing = layers.Where(l => !store.HasBlob(l.Digest, l.Size)).Select(l => l.Digest).ToArray();
        var pins = store.CreatePins();
        LocalModel model;
        try
        {
            foreach (var layer in layers)
            {
                pins.Add(layer.Digest);
                reporter.AddLayer(layer);
            }

            StoreSpace.EnsureRoomFor(store, layers, $"pulling {name}");
            await Parallel.ForEachAsync(
                layers,
                new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentTransfers, CancellationToken = cancellationToken },
                async (layer, token) => await flights.EnsureAsync(
                    layer, store, (offset, t) => hub.GetFileAsync(repository, commit, layer.FileName!, offset, t), reporter, token).ConfigureAwait(false))
                .ConfigureAwait(false);

            reporter.Status("Packaging");
            var config = GgufConfigBuilder.Build([.. layers.Select(l => store.Layout.BlobPath(l.Digest))]);
            model = ArtifactWriter.Write(store, pins, layers, config, info.LastModified ?? settings.Time.GetUtcNow(), [reference], name);
        }
        catch (Exception e) when (Registry.ModelPuller.IsFinal(e))
        {
            pins.Dispose();
            store.Discard(missing);
            throw;
        }
        finally
        {
            pins.Dispose();
        }

        reporter.Success($"Model {name} pulled successfully ({model.ShortId})", model);
        return model;
    }
}
