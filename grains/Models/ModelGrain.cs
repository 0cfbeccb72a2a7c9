using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Store;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Memory;
using ModelRunner.Engine.Native;
using ModelRunner.Grains.Admission;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Grains.Models;

/// <summary>
/// A model loaded on this node. Activation reads the model from the local store and its
/// configuration, is admitted against the node's memory budget (unloading idle models when
/// needed), loads the weights (every layer on the GPU when there is one) and registers the KV
/// state its conversations saved last time. Deactivation saves that state and frees everything.
/// All requests interleave; the engine batches them. Each request may change the keep-alive.
/// </summary>
public sealed partial class ModelGrain(
    IModelDistribution distribution,
    ModelAdmission admission,
    ModelSettingsStore settingsStore,
    SequenceFolders sequenceFolders,
    TimeProvider time,
    ILogger<ModelGrain> logger) : Grain, IModelGrain, IAsyncDisposable
{
    private LocalModel? _stored;
    private ModelSettings _settings = ModelSettings.Default;
    private RuntimeFlags _flags = new();
    private MemoryEstimate? _estimate;
    private IDisposable? _admission;
    private LlamaModel? _model;
    private InferenceEngine? _engine;
    private EmbeddingEngine? _embeddings;
    private readonly SemaphoreSlim _embeddingsCreated = new(1, 1);
    private DateTimeOffset _loadedAt;
    private long _lastUsedTicks;
    private int _active;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = distribution.Store.Get(Key);
        _settings = await settingsStore.GetAsync(Key, cancellationToken).ConfigureAwait(false);
        _flags = RuntimeFlags.Parse(_settings.Flags);
        KeepAlive = KeepAliveOf(_settings.KeepAlive);

        var gguf = Engine.Gguf.GgufReader.Read(_stored.GgufPaths[0]);
        var contextSize = ContextSizeFor(gguf.GetInt64OrNull($"{gguf.Architecture}.context_length"));
        var engineOptions = _flags.ToEngineOptions(contextSize);
        var loadOptions = _flags.ToLoadOptions(_stored.ChatTemplatePath is { } template ? await File.ReadAllTextAsync(template, cancellationToken).ConfigureAwait(false) : null);
        var runtime = Engine.Native.LlamaLibrary.Load();
        _estimate = MemoryEstimator.Estimate(gguf, new MemoryEstimateOptions
        {
            ContextSize = engineOptions.ContextSize,
            Sequences = engineOptions.Sequences,
            BatchSize = engineOptions.BatchSize,
            GpuLayers = loadOptions.GpuLayers ?? (runtime.HasGpu ? -1 : 0),
        });

        _admission = await admission.AdmitAsync(Name, _estimate, cancellationToken).ConfigureAwait(false);
        try
        {
            // Loading reads hundreds of megabytes: never on the caller's thread.
            (_model, _engine) = await Task.Run(() =>
            {
                var model = LlamaModel.Load(_stored.GgufPaths, loadOptions);
                try
                {
                    return (model, new InferenceEngine(model, engineOptions));
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);

            var (loaded, rejected) = _engine.LoadSequences(sequenceFolders.For(Key));
            foreach (var reason in rejected)
            {
                LogSavedStateRejected(Name, reason);
            }

            _loadedAt = time.GetUtcNow();
            _lastUsedTicks = _loadedAt.UtcTicks;
            LogLoaded(Name, _estimate.TotalBytes, loaded.Count, _model.GpuLayers);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_engine is not null)
        {
            var saved = await _engine.SaveSequencesAsync(sequenceFolders.For(Key)).ConfigureAwait(false);
            LogUnloading(Name, reason, saved.Count);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(ModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var engine = Loaded();
        var tokens = BuildPrompt(request.Prompt);
        var options = request.Options with { Sampling = request.Sampling.ApplyTo(_flags.Sampling) };
        Begin(request.KeepAlive);
        try
        {
            await foreach (var update in engine.GenerateAsync(new GenerationRequest(tokens, options) { CacheKey = request.CacheKey }, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            End();
        }
    }

    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, TimeSpan? keepAlive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Loaded();
        Begin(keepAlive);
        try
        {
            var embeddings = await EmbeddingsAsync(cancellationToken).ConfigureAwait(false);
            return await embeddings.EmbedAsync(inputs, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            End();
        }
    }

    public Task<int[]> BuildPromptAsync(ModelPrompt prompt, CancellationToken cancellationToken = default)
    {
        Loaded();
        return Task.FromResult(BuildPrompt(prompt));
    }

    public Task<string> DetokenizeAsync(IReadOnlyList<int> tokens, CancellationToken cancellationToken = default)
    {
        Loaded();
        return Task.FromResult(_model!.Detokenize(tokens));
    }

    public Task<ModelStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var engine = Loaded();
        var status = engine.Status;
        var lastUsed = new DateTimeOffset(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);
        var keepAlive = KeepAlive;
        var expires = keepAlive == Timeout.InfiniteTimeSpan || Volatile.Read(ref _active) > 0 ? (DateTimeOffset?)null : lastUsed + keepAlive;
        return Task.FromResult(new ModelStatus(
            Key,
            _stored!.Tags,
            _loadedAt,
            lastUsed,
            status.ActiveRequests,
            status.QueuedRequests,
            keepAlive,
            expires,
            _estimate!.TotalBytes,
            _estimate.GpuBytes,
            engine.ContextSize,
            status.Sequences,
            _model!.Runtime.ToString()));
    }

    public Task PreloadAsync(TimeSpan? keepAlive = null, CancellationToken cancellationToken = default)
    {
        Loaded();
        Begin(keepAlive);
        End();
        return Task.CompletedTask;
    }

    public Task UnloadAsync(CancellationToken cancellationToken = default)
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var engine = Loaded();
        var saved = InferenceEngine.SavedSequencePath(sequenceFolders.For(Key), conversationId);
        // The folder exists only once the model has saved a conversation at an unload.
        if (File.Exists(saved))
        {
            File.Delete(saved);
        }

        return engine.ForgetSequenceAsync(conversationId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embeddings is not null)
        {
            await _embeddings.DisposeAsync().ConfigureAwait(false);
            _embeddings = null;
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
            _engine = null;
        }

        if (_model is not null)
        {
            _model.Dispose();
            _model = null;
            NativeHeap.Trim();
        }

        _admission?.Dispose();
        _admission = null;
        _embeddingsCreated.Dispose();
    }

    private string Name => _stored is { Tags.Count: > 0 } stored ? stored.Tags[0] : Key;

    private InferenceEngine Loaded() => _engine ?? throw new InvalidOperationException($"model {Name} is not loaded");

    private int[] BuildPrompt(ModelPrompt prompt)
    {
        var model = _model!;
        if (prompt.Tokens is { } tokens)
        {
            return [.. tokens];
        }

        if (prompt.Messages is { } messages)
        {
            var withTools = ToolPrompt.WithTools(messages, prompt.Tools);
            if (prompt.HistoryTokens is { } history && prompt.HistoryCount > 0)
            {
                var offset = withTools.Count - messages.Count;
                return ChatPrompt.Continue(model, [.. withTools.Take(prompt.HistoryCount + offset)], history, [.. withTools.Skip(prompt.HistoryCount + offset)]);
            }

            return ChatPrompt.Start(model, withTools);
        }

        return model.Tokenize(prompt.Text ?? throw new ArgumentException("the prompt is empty", nameof(prompt)), addSpecial: true, parseSpecial: true);
    }

    private async Task<EmbeddingEngine> EmbeddingsAsync(CancellationToken cancellationToken)
    {
        await _embeddingsCreated.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Created on first use: most models are never asked for embeddings.
            return _embeddings ??= await Task.Run(() => new EmbeddingEngine(_model!, new EmbeddingOptions { Threads = _flags.Threads }), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _embeddingsCreated.Release();
        }
    }

    private void Begin(TimeSpan? keepAlive)
    {
        Interlocked.Increment(ref _active);
        KeepAlive = keepAlive is { } requested ? Models.KeepAlive.Normalise(requested) : KeepAliveOf(_settings.KeepAlive);
    }

    private void End()
    {
        Interlocked.Exchange(ref _lastUsedTicks, time.GetUtcNow().UtcTicks);
        Interlocked.Decrement(ref _active);
    }

    private int ContextSizeFor(long? trained)
    {
        var wanted = _settings.ContextSize ?? 4096;
        return trained is > 0 && wanted > trained ? (int)trained : wanted;
    }

    private static TimeSpan KeepAliveOf(TimeSpan? configured) =>
        configured is { } value ? Models.KeepAlive.Normalise(value) : Models.KeepAlive.Default;

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Model} ({Bytes} bytes estimated, {Restorable} saved conversations, GPU layers {GpuLayers})")]
    private partial void LogLoaded(string model, long bytes, int restorable, int gpuLayers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unloading model {Model} ({Reason}); saved {Saved} conversations")]
    private partial void LogUnloading(string model, DeactivationReason reason, int saved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: a saved conversation cannot be restored and will be rebuilt: {Reason}")]
    private partial void LogSavedStateRejected(string model, string reason);
}
