using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// Pushes a stored model to the registry its tag names: each blob the registry lacks is mounted from another
/// repository of the same registry that has it (another tag of this model there), or uploaded; the manifest goes last,
/// so the tag appears only when every blob is in place.
/// </summary>
internal sealed class ModelPusher(LocalModelStore store, RegistryClient registry, RegistryEndpoints endpoints, TransferSettings settings)
{
    public async Task PushAsync(ModelReference reference, PushOptions options, TransferReporter reporter, CancellationToken cancellationToken)
    {
        if (reference.IsIdOnly || reference.Digest is not null || reference.IsHuggingFace)
        {
            throw new InvalidReferenceException($"'{reference.FamiliarName}' cannot be pushed: push a tag such as myorg/model:v1 (tag the model first)");
        }

        var name = reference.FamiliarName;
        var model = store.Find(name) ?? throw new ModelNotFoundException($"model '{name}' is not in the local store; tag a model with that name first", remote: false);
        var manifest = store.FindManifest(model.Id)!;
        var artifact = ModelArtifact.Parse(manifest.Content.Span, name);
        var target = endpoints.Resolve(reference, null, options.Credential);

        var mountFrom = model.Tags
            .Select(t => ModelReference.TryParse(t, out var other, out _) ? other : null)
            .Where(other => other is not null && other.Registry == reference.Registry && other.Repository != reference.Repository)
            .Select(other => other!.Repository!)
            .Distinct()
            .ToArray();

        foreach (var blob in artifact.Blobs)
        {
            reporter.AddLayer(blob);
        }

        reporter.Status($"Pushing {name} to {target.Registry}");
        await Parallel.ForEachAsync(
            artifact.Blobs,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentTransfers, CancellationToken = cancellationToken },
            async (blob, token) => await PushBlobAsync(target, blob, mountFrom, reporter, token).ConfigureAwait(false)).ConfigureAwait(false);

        reporter.Status("Writing manifest");
        await Retry.RunAsync(
            async t =>
            {
                await registry.PutManifestAsync(target, reference.Tag!, manifest.Content, artifact.MediaType, t).ConfigureAwait(false);
                return true;
            }, settings, reporter.Warning, $"putting the manifest of {name}", cancellationToken).ConfigureAwait(false);
        reporter.Success($"Model {name} pushed successfully ({model.ShortId})", model);
    }

    private async Task PushBlobAsync(RegistryTarget target, BlobDescriptor blob, string[] mountFrom, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var what = $"blob {blob.Digest.ShortId}";
        if (await Retry.RunAsync(t => registry.BlobExistsAsync(target, blob.Digest, t), settings, reporter.Warning, $"checking {what}", cancellationToken).ConfigureAwait(false))
        {
            reporter.Progress(blob.Digest, blob.Size);
            return;
        }

        foreach (var repository in mountFrom)
        {
            if (await Retry.RunAsync(t => registry.TryMountAsync(target, blob.Digest, repository, t), settings, reporter.Warning, $"mounting {what}", cancellationToken).ConfigureAwait(false))
            {
                reporter.Status($"Mounted {what} from {repository}");
                reporter.Progress(blob.Digest, blob.Size);
                return;
            }
        }

        var path = store.Layout.BlobPath(blob.Digest);
        await Retry.RunAsync(
            async t =>
            {
                await registry.UploadAsync(target, blob.Digest, path, blob.Size, settings.PushChunkSize, sent => reporter.Progress(blob.Digest, sent), t).ConfigureAwait(false);
                return true;
            }, settings, reporter.Warning, $"uploading {what}", cancellationToken).ConfigureAwait(false);
    }
}
