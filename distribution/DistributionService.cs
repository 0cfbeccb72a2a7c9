using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using ModelRunner.Distribution.Diagnostics;
using ModelRunner.Distribution.Archives;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.HuggingFace;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution;

/// <summary>The one implementation of <see cref="IModelDistribution"/>: wires the store, clients and transfer machinery together.</summary>
internal sealed partial class DistributionService : IModelDistribution
{
    private readonly HttpClient _http;
    private readonly LocalModelStore _store;
    private readonly TransferSettings _settings;
    private readonly RegistryEndpoints _endpoints;
    private readonly RegistryClient _registry;
    private readonly ModelPuller _puller;
    private readonly ModelPusher _pusher;
    private readonly ModelPackager _packager;
    private readonly HuggingFacePuller _huggingFace;
    private readonly ModelRepackager _repackager;
    private readonly ModelArchive _archive;
    private readonly ILogger _logger;

    public DistributionService(ModelDistributionOptions options)
    {
        options.Validate();
        _logger = options.Logger;
        _settings = new TransferSettings(
            options.MaxConcurrentTransfers, options.MaxRetries, options.RetryBaseDelay, options.StallTimeout, options.PushChunkSize, options.ProgressInterval, options.TimeProvider);
        _store = new LocalModelStore(options.StorePath, options.Logger);

        // Stall detection and retries are ours, per read and per request; HttpClient's own timeout would cut a large
        // download that is progressing fine.
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true,
            UseCookies = false,
            ConnectTimeout = options.StallTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);

        _endpoints = new RegistryEndpoints([.. options.InsecureRegistries]);
        _registry = new RegistryClient(_http, new RegistryAuthenticator(_http, options.Credentials, _settings), _settings);
        var flights = new BlobFlights(new BlobDownloader(_settings));
        _puller = new ModelPuller(_store, _registry, _endpoints, flights, _settings);
        _pusher = new ModelPusher(_store, _registry, _endpoints, _settings);
        _packager = new ModelPackager(_store, options.TimeProvider);
        _repackager = new ModelRepackager(_store);
        _archive = new ModelArchive(_store);
        var endpoint = options.HuggingFaceEndpoint.AbsoluteUri.EndsWith('/') ? options.HuggingFaceEndpoint : new Uri(options.HuggingFaceEndpoint.AbsoluteUri + "/");
        _huggingFace = new HuggingFacePuller(_store, new HuggingFaceClient(_http, endpoint, options.HuggingFaceToken, _settings), flights, _settings);
    }

    public IModelStore Store => _store;

    /// <summary>The pulls and pushes in flight, shared by reference.</summary>
    internal SharedTransfers Transfers { get; } = new();

    public IAsyncEnumerable<TransferEvent> PullAsync(string reference, PullOptions? options = null, CancellationToken cancellationToken = default)
    {
        var parsed = ModelReference.Parse(reference);
        if (parsed.IsIdOnly)
        {
            throw new InvalidReferenceException($"'{reference}' is a model id; a pull needs a name such as ai/smollm2");
        }

        if (parsed.IsHuggingFace && parsed.Digest is not null)
        {
            throw new InvalidReferenceException($"'{reference}': a Hugging Face reference selects a quantization by tag, not a digest");
        }

        options ??= new PullOptions();
        return Transfers.RunAsync(
            $"pull {parsed} {options.Mirror}",
            (sink, token) => LoggedAsync("pull", parsed.FamiliarName, () => parsed.IsHuggingFace
                ? _huggingFace.PullAsync(parsed, Reporter(sink, "Downloaded"), token)
                : _puller.PullAsync(parsed, options, Reporter(sink, "Downloaded"), token)),
            cancellationToken);
    }

    public IAsyncEnumerable<TransferEvent> PushAsync(string reference, PushOptions? options = null, CancellationToken cancellationToken = default)
    {
        var parsed = ModelReference.Parse(reference);
        if (parsed.IsIdOnly || parsed.IsHuggingFace || parsed.Digest is not null)
        {
            throw new InvalidReferenceException($"'{reference}' cannot be pushed: push a tag such as myorg/model:v1");
        }

        options ??= new PushOptions();

        // Pushes are not shared: each caller pushes what it asked for, and a second push of the same tag is cheap.
        return Transfers.RunAsync($"push {Guid.NewGuid():N}", (sink, token) => LoggedAsync("push", parsed.FamiliarName, () => _pusher.PushAsync(parsed, options, Reporter(sink, "Uploaded"), token)), cancellationToken);
    }

    public async Task<LocalModel> PackageAsync(PackageRequest request, IProgress<TransferEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        LocalModel? packaged = null;
        await LoggedAsync("package", string.Join(", ", request.Tags), async () => packaged = await _packager.PackageAsync(request, Reporter(e => progress?.Report(e), "Copied"), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return packaged!;
    }

    public Task<LocalModel> RepackageAsync(string source, RepackageRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_repackager.Repackage(source, request));
    }

    public Task ExportAsync(string reference, Stream destination, CancellationToken cancellationToken = default) =>
        _archive.ExportAsync(reference, destination, cancellationToken);

    public Task<LocalModel> LoadAsync(Stream archive, IReadOnlyList<string>? tags = null, IProgress<TransferEvent>? progress = null, CancellationToken cancellationToken = default) =>
        _archive.LoadAsync(archive, tags ?? [], Reporter(e => progress?.Report(e), "Loaded"), cancellationToken);

    public async Task<RemoteModel> InspectRemoteAsync(string reference, PullOptions? options = null, CancellationToken cancellationToken = default)
    {
        var parsed = ModelReference.Parse(reference);
        if (parsed.IsHuggingFace)
        {
            throw new InvalidReferenceException($"'{reference}' is on the Hugging Face Hub, where models are GGUF files rather than artifacts; pull it to inspect it");
        }

        options ??= new PullOptions();
        var target = _endpoints.Resolve(parsed, options.Mirror, options.Credential);
        var manifest = await _registry.GetManifestAsync(target, parsed.Digest?.ToString() ?? parsed.Tag!, null, cancellationToken).ConfigureAwait(false);
        var artifact = ModelArtifact.Parse(manifest.Content, parsed.FamiliarName);
        var config = await Retry.RunAsync(
            async attempt =>
            {
                using var response = await _registry.GetBlobAsync(target, artifact.Config.Digest, 0, attempt).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(attempt).ConfigureAwait(false);
                return bytes.Length == artifact.Config.Size && OciDigest.Compute(bytes) == artifact.Config.Digest
                    ? bytes
                    : throw new DigestMismatchException($"the config of {parsed.FamiliarName} does not match its digest {artifact.Config.Digest}");
            }, _settings, null, $"fetching the config of {parsed.FamiliarName}", cancellationToken).ConfigureAwait(false);
        var (modelConfig, created) = ModelConfigReader.Read(artifact, config, parsed.FamiliarName);
        return new RemoteModel(parsed.FamiliarName, artifact.Digest.ToString(), modelConfig, created, artifact.Blobs.Sum(b => b.Size), artifact.Format);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Runs one operation inside its span, logging its start, end and failure.</summary>
    private async Task LoggedAsync(string operation, string reference, Func<Task> run)
    {
        using var activity = DistributionTelemetry.Source.StartActivity($"modelrunner.{operation}");
        activity?.SetTag("modelrunner.model", reference);
        LogStarted(_logger, operation, reference);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogCancelled(_logger, operation, reference);
            throw;
        }
        catch (Exception exception)
        {
            LogFailed(_logger, operation, reference, exception.Message);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        LogFinished(_logger, operation, reference, elapsed.TotalMilliseconds);
    }

    private TransferReporter Reporter(Action<TransferEvent> sink, string verb) => new(sink, _settings.Time, _settings.ProgressInterval, verb);
}
