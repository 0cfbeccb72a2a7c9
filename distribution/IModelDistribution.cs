using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution;

/// <summary>
/// Models as OCI artifacts: the local store, pulls (from registries and the Hugging Face Hub), pushes, packaging and
/// remote inspection. Thread-safe; one instance per process, disposed at shutdown.
/// </summary>
public interface IModelDistribution : IDisposable
{
    /// <summary>The local store.</summary>
    IModelStore Store { get; }

    /// <summary>
    /// Pulls <paramref name="reference"/> into the store and streams progress; the last event is a
    /// <see cref="TransferEventKind.Success"/> carrying the model. Concurrent pulls of one reference share one download;
    /// the download stops only when every caller has stopped enumerating. An interrupted pull resumes where it
    /// stopped, in this process or the next.
    /// </summary>
    /// <exception cref="InvalidReferenceException">(at the call) The reference is malformed or is a model id.</exception>
    /// <exception cref="ModelNotFoundException">(while enumerating) The registry or Hub has no such model.</exception>
    /// <exception cref="RegistryAuthenticationException">Access was refused.</exception>
    /// <exception cref="UnsupportedArtifactException">It is not a GGUF model.</exception>
    /// <exception cref="DigestMismatchException">Content did not verify; nothing was stored.</exception>
    /// <exception cref="StorageFullException">The disk is full; nothing was stored.</exception>
    /// <exception cref="DistributionException">Retries ran out, or another failure the message describes.</exception>
    IAsyncEnumerable<TransferEvent> PullAsync(string reference, PullOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Pushes the stored model tagged <paramref name="reference"/> to the registry the tag names, streaming progress.</summary>
    /// <exception cref="InvalidReferenceException">(at the call) The reference is malformed, an id, a digest or a Hugging Face name.</exception>
    /// <exception cref="ModelNotFoundException">No local model has that tag.</exception>
    /// <exception cref="RegistryAuthenticationException">The registry refused the push.</exception>
    IAsyncEnumerable<TransferEvent> PushAsync(string reference, PushOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Packages GGUF file(s) into a model in the store, tagged as <see cref="PackageRequest.Tags"/> says.</summary>
    /// <exception cref="ArgumentException">A file is not valid GGUF, a template is not UTF-8, the context size is not positive.</exception>
    /// <exception cref="FileNotFoundException">A file, or a shard of a split model, is missing.</exception>
    /// <exception cref="InvalidReferenceException">A tag is malformed.</exception>
    /// <exception cref="StorageFullException">The disk is full; nothing was stored.</exception>
    Task<LocalModel> PackageAsync(PackageRequest request, IProgress<TransferEvent>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a variant of the stored model <paramref name="source"/> names: another context size, chat template or
    /// artifact format over the same weights (no copy), tagged as <see cref="RepackageRequest.Tags"/> says. The same
    /// request twice gives the same model.
    /// </summary>
    /// <exception cref="ModelNotFoundException">The store has no such model.</exception>
    /// <exception cref="ArgumentException">The context size is not positive, the template too large, or a context size was asked of a ModelPack artifact.</exception>
    /// <exception cref="InvalidReferenceException">A tag is malformed.</exception>
    Task<LocalModel> RepackageAsync(string source, RepackageRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the stored model as a tar archive (<c>blobs/sha256/&lt;hex&gt;</c> for every layer and the config, then
    /// <c>manifest.json</c>), the layout Docker Model Runner's export and load use.
    /// </summary>
    /// <exception cref="ModelNotFoundException">The store has no such model, or it was removed while being written.</exception>
    Task ExportAsync(string reference, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the model in a tar archive (as <see cref="ExportAsync"/> writes it) to the store, verifying every blob
    /// against its digest as it streams in, and tags it with <paramref name="tags"/> (none leaves it untagged).
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not a model archive, or lacks a blob its manifest needs.</exception>
    /// <exception cref="DigestMismatchException">A blob does not match its digest; nothing of it is stored.</exception>
    /// <exception cref="UnsupportedArtifactException">The manifest is not a model this runner can use.</exception>
    /// <exception cref="InvalidReferenceException">A tag is malformed.</exception>
    Task<LocalModel> LoadAsync(Stream archive, IReadOnlyList<string>? tags = null, IProgress<TransferEvent>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Describes a model in its registry without pulling it (its manifest and config only).</summary>
    /// <exception cref="InvalidReferenceException">The reference is malformed, an id, or a Hugging Face name (pull those instead).</exception>
    /// <exception cref="ModelNotFoundException">The registry has no such model.</exception>
    Task<RemoteModel> InspectRemoteAsync(string reference, PullOptions? options = null, CancellationToken cancellationToken = default);
}
