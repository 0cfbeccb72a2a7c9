using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Store;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Memory;
using ModelRunner.Engine.Native;
using ModelRunner.Engine.Reasoning;
using ModelRunner.Engine.Reranking;
using ModelRunner.Grains.Admission;
using ModelRunner.Silo.Cluster;

namespace ModelRunner.Grains.Models;

/// <summary>
/// A model loaded on this node. The first call that needs the model (in practice
/// <see cref="IModelGrain.PreloadAsync"/>, the one call allowed to take as long as a load) reads
/// it from the local store with its settings, is admitted against the node's memory budget
/// (unloading idle models when needed), loads the weights (every layer on the GPU when there is
/// one), registers the KV state its conversations saved last time, and adds the grain to the
/// node's <see cref="LoadedModels"/>. Deactivation saves that state, frees everything, and only
/// then leaves the registry.
/// </summary>
/// <remarks>
/// Activating the grain loads nothing: Orleans delivers calls after a deactivation (a client
/// disposing a finished stream, say) to a fresh activation, and such a call must never bring
/// the weights back. A load that fails leaves nothing behind and the next call tries again.
/// </remarks>
/// <remarks>
/// Lifetime follows Ollama's keep_alive per request: after the last request ends a grain timer
/// deactivates the model once it has been idle for its keep-alive (zero: at once; negative:
/// never). Orleans' own idle collection is held off with <c>DelayDeactivation</c> meanwhile, so
/// the timer alone decides, to the millisecond, whatever the type's collection age.
/// </remarks>
[CollectionAgeLimit(Minutes = 10)]
[ModelRunner.Silo.Cluster.StoreLocalityPlacementAttribute]
public sealed partial class ModelGrain(
    IModelDistribution distribution,
    ModelAdmission admission,
    LoadedModels loadedModels,
    IModelFetcher fetcher,
    SequenceFolders sequenceFolders,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ModelGrain> logger) : Grain, IModelGrain, ILoadedModel, IDisposable
{
    private LocalModel? _stored;
    private ModelSettings _settings = ModelSettings.Default;
    private RuntimeFlags _flags = new();
    private MemoryEstimate? _estimate;
    private IDisposable? _admission;
    private LlamaModel? _model;
    private LlamaModel? _draft;
    private InferenceEngine? _engine;
    private EmbeddingEngine? _embeddings;
    private readonly SemaphoreSlim _embeddingsCreated = new(1, 1);
    private RerankEngine? _reranker;
    private readonly SemaphoreSlim _rerankerCreated = new(1, 1);
    private IGrainTimer? _expiry;
    private Task? _loading;
    private DateTimeOffset _loadedAt;
    private long _lastUsedTicks;
    private long _keepAliveTicks = KeepAlive.Default.Ticks;
    private int _active;

    // Eviction is decided on the admitting grain's thread, requests begin on this one's: the gate
    // makes "no request running, so unload" and "not unloading, so begin" exclusive.
    private readonly Lock _evictionGate = new();
    private bool _evicting;

    public string Id => ModelReplicas.ModelIdOf(Key);

    /// <summary>This replica's grain key: the model id, with <c>#r</c> for replica r &gt; 0.</summary>
    public string Key => this.GetPrimaryKeyString();

    public bool IsBusy => Volatile.Read(ref _active) > 0 || _engine is { Status: { ActiveRequests: > 0 } or { QueuedRequests: > 0 } };

    public bool IsPinned => CurrentKeepAlive == Timeout.InfiniteTimeSpan;

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    public ModelStatus? Status
    {
        get
        {
            // Read once: an unload clears these while ps may be looking.
            var (engine, model, stored, estimate) = (_engine, _model, _stored, _estimate);
            if (engine is null || model is null || stored is null || estimate is null)
            {
                return null;
            }

            var status = engine.Status;
            var keepAlive = CurrentKeepAlive;
            var expires = keepAlive == Timeout.InfiniteTimeSpan || Volatile.Read(ref _active) > 0 ? (DateTimeOffset?)null : LastUsed + keepAlive;
            return new ModelStatus(
                Id,
                stored.Tags,
                _loadedAt,
                LastUsed,
                status.ActiveRequests,
                status.QueuedRequests,
                keepAlive,
                expires,
                estimate.TotalBytes,
                estimate.GpuBytes,
                engine.ContextSize,
                status.Sequences,
                model.Runtime.ToString());
        }
    }

    private TimeSpan CurrentKeepAlive => TimeSpan.FromTicks(Interlocked.Read(ref _keepAliveTicks));

    private string Name => _stored is { Tags.Count: > 0 } stored ? stored.Tags[0] : Id;

    /// <summary>Loads the model once; every caller waits on the same load, and a failed one is tried again by the next.</summary>
    /// <exception cref="GrainLeavingException">
    /// The node is stopping (new work goes to the node this grain is handed over to), or the model
    /// is being unloaded for another (the next call loads it afresh).
    /// </exception>
    private async Task<InferenceEngine> EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new GrainLeavingException($"the node holding model {Name} is stopping");
        }

        ThrowIfEvicting();

        if (_engine is { } engine)
        {
            return engine;
        }

        // Interleaved calls run one at a time on this activation: no lock needed around _loading.
        _loading ??= LoadAsync(CancellationToken.None);
        var loading = _loading;
        try
        {
            await loading.WaitAsync(cancellationToken);
        }
        catch when (loading.IsFaulted || loading.IsCanceled)
        {
            if (_loading == loading)
            {
                _loading = null;
            }

            throw;
        }

        return Loaded();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // Placed on a node without the model's files (the one with the memory for it), it fetches them from a peer.
        _stored = distribution.Store.Find(Id) ?? await fetcher.FetchAsync(Id, cancellationToken) ?? distribution.Store.Get(Id);
        _settings = await GrainFactory.GetGrain<IModelSettingsGrain>(Id).GetAsync();
        _flags = RuntimeFlags.Parse(_settings.Flags);
        SetKeepAlive(null);

        var chatTemplate = _stored.ChatTemplatePath is { } template ? await File.ReadAllTextAsync(template, cancellationToken) : null;
        var gguf = GgufReader.Read(_stored.GgufPaths[0]);
        var engineOptions = _flags.ToEngineOptions(ContextSizeFor(gguf.GetInt64OrNull($"{gguf.Architecture}.context_length")));
        var loadOptions = _flags.ToLoadOptions(chatTemplate) with { Logger = logger };
        var runtime = LlamaLibrary.Load();
        _estimate = MemoryEstimator.Estimate(gguf, new MemoryEstimateOptions
        {
            ContextSize = engineOptions.ContextSize,
            Sequences = engineOptions.Sequences,
            BatchSize = engineOptions.BatchSize,
            GpuLayers = loadOptions.GpuLayers ?? (runtime.HasGpu ? -1 : 0),
        });

        // The draft of speculative decoding is another model of this node's store, loaded beside
        // this one with the same settings and one sequence: admitted together, freed together.
        var draftStored = _flags.DraftModel is { } draftName ? distribution.Store.Get(draftName) : null;
        if (draftStored is not null)
        {
            var draftGguf = GgufReader.Read(draftStored.GgufPaths[0]);
            _estimate = _estimate.Plus(MemoryEstimator.Estimate(draftGguf, new MemoryEstimateOptions
            {
                ContextSize = engineOptions.ContextSize,
                Sequences = 1,
                BatchSize = engineOptions.BatchSize,
                GpuLayers = loadOptions.GpuLayers ?? (runtime.HasGpu ? -1 : 0),
            }));
        }

        _admission = await admission.AdmitAsync(Name, _estimate, cancellationToken);
        try
        {
            var paths = _stored.GgufPaths;
            var flags = _flags;
            // Loading reads hundreds of megabytes: off the activation's turn.
            (_model, _draft, _engine) = await Task.Run(() =>
            {
                var model = LlamaModel.Load(paths, loadOptions);
                LlamaModel? draft = null;
                try
                {
                    draft = draftStored is null ? null : LlamaModel.Load(draftStored.GgufPaths, loadOptions with { ChatTemplate = null });
                    return (model, draft, new InferenceEngine(model, engineOptions, draft is null ? null : flags.ToSpeculativeOptions(draft)));
                }
                catch (InvalidOptionException invalid)
                {
                    draft?.Dispose();
                    model.Dispose();
                    // A draft that cannot draft for this model: the configuration's mistake, said as such.
                    throw new InvalidRequestException(invalid.Reason, "speculative");
                }
                catch
                {
                    draft?.Dispose();
                    model.Dispose();
                    throw;
                }
            }, cancellationToken);

            var (restorable, rejected) = _engine.LoadSequences(sequenceFolders.For(Key));
            foreach (var reason in rejected)
            {
                LogSavedStateRejected(Name, reason);
            }

            _loadedAt = time.GetUtcNow();
            _lastUsedTicks = _loadedAt.UtcTicks;
            _expiry = this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
            loadedModels.Add(this);
            LogLoaded(Name, _estimate.TotalBytes, restorable.Count, _model.GpuLayers);
            ArmExpiry();
        }
        catch
        {
            await FreeAsync();
            throw;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loading is { } loading)
        {
            // A load in progress finishes (or fails) before it is undone.
            await loading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);
        }

        if (_engine is not null)
        {
            var engine = _engine;
            var folder = sequenceFolders.For(Key);
            var saved = await Task.Run(() => engine.SaveSequencesAsync(folder), CancellationToken.None);
            LogUnloading(Name, reason.ReasonCode, saved.Count);
        }

        await FreeAsync();
    }

    public async IAsyncEnumerable<GenerationChunk> GenerateAsync(ModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var engine = await EnsureLoadedAsync(cancellationToken);
        var model = _model!;
        var generation = new GenerationRequest(BuildPrompt(request.Prompt), request.ToEngineOptions(_flags.Sampling)) { CacheKey = request.CacheKey };
        var reasoning = new ReasoningOptions(Thinks(request.Prompt), request.ReasoningBudget ?? (_flags.ReasoningBudget > 0 ? _flags.ReasoningBudget : null));
        reasoning.Validate();
        Begin(request.KeepAlive);
        try
        {
            await using var updates = ThinkingGeneration.GenerateAsync(engine, model, generation, ThinkingTemplate.Of(model.ChatTemplate), reasoning, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                ReasonedUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        yield break;
                    }

                    update = updates.Current;
                }
                catch (EngineBusyException busy)
                {
                    // The engine's exception stays on this node; its meaning and retry hint travel.
                    throw new ModelOverloadedException(busy.Message, busy.RetryAfter);
                }
                catch (InvalidOptionException invalid)
                {
                    throw new InvalidRequestException(invalid.Reason, invalid.ParamName ?? "request");
                }

                yield return update.Update.ToContract() with { Reasoning = update.Thinking };
            }
        }
        finally
        {
            End();
        }
    }

    public async Task<EmbeddingVectors> EmbedAsync(IReadOnlyList<string> inputs, TimeSpan? keepAlive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        await EnsureLoadedAsync(cancellationToken);
        Begin(keepAlive);
        try
        {
            var embeddings = await EmbeddingsAsync(cancellationToken);
            return (await embeddings.EmbedAsync(inputs, cancellationToken)).ToContract();
        }
        catch (InvalidOptionException invalid)
        {
            throw new InvalidRequestException(invalid.Reason, invalid.ParamName ?? "input");
        }
        finally
        {
            End();
        }
    }

    public async Task<RerankScores> RerankAsync(string query, IReadOnlyList<string> documents, TimeSpan? keepAlive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        await EnsureLoadedAsync(cancellationToken);
        if (!RerankEngine.IsReranker(_model!))
        {
            throw new InvalidRequestException($"model {Name} is not a reranking model: its GGUF does not declare rank pooling", "model");
        }

        Begin(keepAlive);
        try
        {
            var reranker = await RerankerAsync(cancellationToken);
            return (await reranker.ScoreAsync(query, documents, cancellationToken)).ToContract();
        }
        catch (InvalidOptionException invalid)
        {
            throw new InvalidRequestException(invalid.Reason, invalid.ParamName ?? "documents");
        }
        finally
        {
            End();
        }
    }

    public async Task<int[]> BuildPromptAsync(ModelPrompt prompt, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        return BuildPrompt(prompt);
    }

    public async Task<string> DetokenizeAsync(IReadOnlyList<int> tokens, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _model!.Detokenize(tokens);
    }

    public Task<ModelStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Status ?? throw new InvalidOperationException($"model {Name} is not loaded"));

    public async Task PreloadAsync(TimeSpan? keepAlive = null, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        Begin(keepAlive);
        End();
    }

    public Task UnloadAsync(CancellationToken cancellationToken = default)
    {
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task EvictAsync()
    {
        lock (_evictionGate)
        {
            _evicting = true;
        }

        return DeactivateAsync();
    }

    public async Task<bool> TryEvictAsync()
    {
        lock (_evictionGate)
        {
            if (IsBusy)
            {
                return false;
            }

            _evicting = true;
        }

        await DeactivateAsync();
        return true;
    }

    private Task DeactivateAsync()
    {
        GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "unloaded"));
        return GrainContext.Deactivated;
    }

    public Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        // The folder exists only once the model has saved a conversation at an unload.
        var saved = InferenceEngine.SavedSequencePath(sequenceFolders.For(Key), conversationId);
        if (File.Exists(saved))
        {
            File.Delete(saved);
        }

        // Forgetting never loads a model that is not loaded.
        return _engine is { } engine ? engine.ForgetSequenceAsync(conversationId) : Task.CompletedTask;
    }

    private async Task FreeAsync()
    {
        _expiry?.Dispose();
        _expiry = null;
        var (embeddings, reranker, engine, model, draft) = (_embeddings, _reranker, _engine, _model, _draft);
        (_embeddings, _reranker, _engine, _model, _draft) = (null, null, null, null, null);
        await Task.Run(async () =>
        {
            if (embeddings is not null)
            {
                await embeddings.DisposeAsync();
            }

            if (reranker is not null)
            {
                await reranker.DisposeAsync();
            }

            if (engine is not null)
            {
                await engine.DisposeAsync();
            }

            // The engine's contexts are gone: the weights can go.
            draft?.Dispose();
            if (model is not null)
            {
                model.Dispose();
                NativeHeap.Trim();
            }
        }, CancellationToken.None);

        _admission?.Dispose();
        _admission = null;
        // Last: whoever waits for this model to leave the registry finds its memory free.
        loadedModels.Remove(this);
    }

    public void Dispose()
    {
        _embeddingsCreated.Dispose();
        _rerankerCreated.Dispose();
    }

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
            var withTools = ToolPrompt.WithTools(messages.ToEngine(), prompt.Tools.ToEngine());
            // A reasoning model's answer opens its think block, or starts after an empty one.
            var suffix = model.Tokenize(ThinkingTemplate.Of(model.ChatTemplate).PromptSuffix(Thinks(prompt)), addSpecial: false, parseSpecial: true);
            if (prompt.HistoryTokens is { } history && prompt.HistoryCount > 0)
            {
                var offset = withTools.Count - messages.Count;
                return [.. ChatPrompt.Continue(model, [.. withTools.Take(prompt.HistoryCount + offset)], history, [.. withTools.Skip(prompt.HistoryCount + offset)]), .. suffix];
            }

            return [.. ChatPrompt.Start(model, withTools), .. suffix];
        }

        return model.Tokenize(prompt.Text ?? throw new InvalidRequestException("the prompt is empty", "prompt"), addSpecial: true, parseSpecial: true);
    }

    /// <summary>Whether a reasoning model thinks: as the request says, else unless configured with <c>--reasoning-budget 0</c>.</summary>
    private bool Thinks(ModelPrompt prompt) => prompt.Think ?? _flags.ReasoningBudget != 0;

    private async Task<EmbeddingEngine> EmbeddingsAsync(CancellationToken cancellationToken)
    {
        await _embeddingsCreated.WaitAsync(cancellationToken);
        try
        {
            // Created on first use: most models are never asked for embeddings.
            var model = _model!;
            var threads = _flags.Threads;
            return _embeddings ??= await Task.Run(() => new EmbeddingEngine(model, new EmbeddingOptions { Threads = threads }), cancellationToken);
        }
        finally
        {
            _embeddingsCreated.Release();
        }
    }

    private async Task<RerankEngine> RerankerAsync(CancellationToken cancellationToken)
    {
        await _rerankerCreated.WaitAsync(cancellationToken);
        try
        {
            // Created on first use, like the embedding context: only rerankers are asked.
            var model = _model!;
            var threads = _flags.Threads;
            return _reranker ??= await Task.Run(() => new RerankEngine(model, threads: threads), cancellationToken);
        }
        finally
        {
            _rerankerCreated.Release();
        }
    }

    /// <exception cref="GrainLeavingException">The model is being unloaded: the caller retries, and loads it afresh.</exception>
    private void Begin(TimeSpan? keepAlive)
    {
        lock (_evictionGate)
        {
            ThrowIfEvicting();
            Interlocked.Increment(ref _active);
        }

        SetKeepAlive(keepAlive);
    }

    private void ThrowIfEvicting()
    {
        if (Volatile.Read(ref _evicting))
        {
            throw new GrainLeavingException($"model {Name} is being unloaded");
        }
    }

    private void End()
    {
        Interlocked.Exchange(ref _lastUsedTicks, time.GetUtcNow().UtcTicks);
        if (Interlocked.Decrement(ref _active) == 0)
        {
            ArmExpiry();
        }
    }

    private void SetKeepAlive(TimeSpan? requested)
    {
        var keepAlive = requested is { } value ? Models.KeepAlive.Normalise(value) : KeepAliveOf(_settings.KeepAlive);
        Interlocked.Exchange(ref _keepAliveTicks, keepAlive.Ticks);
    }

    /// <summary>Starts the idle countdown once no request runs; Orleans' own collection waits for it.</summary>
    private void ArmExpiry()
    {
        var keepAlive = CurrentKeepAlive;
        if (keepAlive == TimeSpan.Zero)
        {
            this.DeactivateOnIdle();
        }
        else if (keepAlive == Timeout.InfiniteTimeSpan)
        {
            this.DelayDeactivation(Timeout.InfiniteTimeSpan);
            _expiry?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        else
        {
            this.DelayDeactivation(keepAlive + TimeSpan.FromMinutes(1));
            _expiry?.Change(keepAlive, Timeout.InfiniteTimeSpan);
        }
    }

    private Task ExpireAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _active) > 0)
        {
            return Task.CompletedTask;
        }

        var keepAlive = CurrentKeepAlive;
        var left = LastUsed + keepAlive - time.GetUtcNow();
        if (keepAlive == Timeout.InfiniteTimeSpan)
        {
            return Task.CompletedTask;
        }

        if (left > TimeSpan.Zero)
        {
            _expiry?.Change(left, Timeout.InfiniteTimeSpan);
        }
        else
        {
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    private int ContextSizeFor(long? trained)
    {
        // A context size packaged into the model (package --context-size, repackage) is its default; the packager
        // records the trained length when given none, and that one is not a choice: 4096 then, as DMR.
        var packaged = _stored?.Config.ContextSize is { } size && size != trained ? size : (int?)null;
        var wanted = _settings.ContextSize ?? packaged ?? 4096;
        return trained is > 0 && wanted > trained ? (int)trained : wanted;
    }

    private static TimeSpan KeepAliveOf(TimeSpan? configured) =>
        configured is { } value ? Models.KeepAlive.Normalise(value) : Models.KeepAlive.Default;

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Model} ({Bytes} bytes estimated, {Restorable} saved conversations, GPU layers {GpuLayers})")]
    private partial void LogLoaded(string model, long bytes, int restorable, int gpuLayers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unloading model {Model} ({Reason}); saved {Saved} conversations")]
    private partial void LogUnloading(string model, DeactivationReasonCode reason, int saved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: a saved conversation cannot be restored and will be rebuilt: {Reason}")]
    private partial void LogSavedStateRejected(string model, string reason);
}
