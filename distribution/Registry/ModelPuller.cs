using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// Pulls a model from an OCI registry: resolves the manifest, downloads what the store lacks (several blobs at
/// once, each verified), checks the config, then commits manifest and tags. The model appears in the store only
/// when all of it is there.
/// </summary>
internal sealed class ModelPuller(LocalModelStore store, RegistryClient registry, RegistryEndpoints endpoints, BlobFlights flights, TransferSettings settings)
{
    public async Task<LocalModel> PullAsync(ModelReference reference, PullOptions options, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var target = endpoints.Resolve(reference, options.Mirror, options.Credential);
        var name = reference.FamiliarName;
        reporter.Status($"Pulling manifest of {name}{(options.Mirror is null ? "" : $" from {options.Mirror.Authority}")}");
        var manifest = await registry.GetManifestAsync(target, reference.Digest?.ToString() ?? reference.Tag!, reporter.Warning, cancellationToken).ConfigureAwait(false);
        var artifact = ModelArtifact.Parse(manifest.Content, name);

        // A digest pins content, not a name: a pull by digest alone leaves the model untagged, as in Docker.
        ModelReference[] tags = reference.Tag is { } tag ? [reference.WithTag(tag)] : [];
        if (store.FindById(artifact.Digest) is not null)
        {
            var existing = store.Commit(manifest.Content, artifact, tags);
            reporter.Success($"Model {name} is up to date ({existing.ShortId})", existing);
            return existing;
        }

        var missing = artifact.Blobs.Where(b => !store.HasBlob(b.Digest, b.Size)).Select(b => b.Digest).ToArray();
        var pins = store.CreatePins();
        try
        {
            foreach (var blob in artifact.Blobs)
            {
                pins.Add(blob.Digest);
                reporter.AddLayer(blob);
            }

            StoreSpace.EnsureRoomFor(store, artifact.Blobs, $"pulling {name}");
            await Parallel.ForEachAsync(
                artifact.Blobs,
                new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentTransfers, CancellationToken = cancellationToken },
                async (blob, token) => await flights.EnsureAsync(blob, store, (offset, t) => registry.GetBlobAsync(target, blob.Digest, offset, t), reporter, token).ConfigureAwait(false))
                .ConfigureAwait(false);

            // A config that does not parse would make a model nobody can list; refuse it before it is committed.
            var configBytes = await File.ReadAllBytesAsync(store.Layout.BlobPath(artifact.Config.Digest), cancellationToken).ConfigureAwait(false);
            ModelConfigReader.Read(artifact, configBytes, name);

            reporter.Status("Writing manifest");
            var model = store.Commit(manifest.Content, artifact, tags);
            reporter.Success($"Model {name} pulled successfully ({model.ShortId})", model);
            return model;
        }
        catch (Exception e) when (IsFinal(e))
        {
            // Retrying cannot help; what this pull downloaded would only be clutter (and take space a full disk needs).
            pins.Dispose();
            store.Discard(missing);
            throw;
        }
        finally
        {
            pins.Dispose();
        }
    }

    /// <summary>A failure a retry of the same pull would meet again, as opposed to an interruption worth resuming.</summary>
    internal static bool IsFinal(Exception exception) => exception is DigestMismatchException or StorageFullException or UnsupportedArtifactException;
}
