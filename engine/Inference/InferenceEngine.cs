using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ModelRunner.Engine.Diagnostics;
using ModelRunner.Engine.Native;
using ModelRunner.Engine.Sequences;
using ModelRunner.Engine.Threading;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// Serves generation requests for one model with continuous batching: one llama.cpp context
/// with <see cref="EngineOptions.Sequences"/> sequences and one decode loop, on a thread of its
/// own, that packs the next token of every generating request and prompt chunks of newly admitted
/// ones into one batch per step. Requests join and leave between steps; when every sequence is
/// busy they wait in a bounded queue. A sequence keeps its KV cells after its request ends, so a
/// prompt that extends them (the next turn of a conversation, a shared system prompt) evaluates
/// only its new suffix; sequences of named conversations are saved when evicted and restored when
/// the conversation returns. Thread-safe. Disposing fails pending requests and frees the context.
/// The loop's parts: <see cref="AdmissionQueue"/> (waiting requests and which sequence each gets),
/// <see cref="DecodeStep"/> (batch, decode, sample), <see cref="TokenOutput"/> (a sampled token's
/// way to the caller), <see cref="SavedSequences"/> (conversations' KV state outside the context).
/// </summary>
public sealed class InferenceEngine : IAsyncDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;
    private readonly SequenceSlots _slots;
    private readonly SavedSequences _saved;
    private readonly AdmissionQueue _admission;
    private readonly DecodeStep _step;
    private readonly DecodeThreads _threads;
    private readonly SpeculativeStep? _speculative;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private int _disposed;

    /// <param name="model">The model to serve.</param>
    /// <param name="options">Context and serving settings; null takes the defaults.</param>
    /// <param name="speculative">A draft model for speculative decoding; null decodes without one.</param>
    /// <exception cref="ArgumentException">An option is out of range, or the draft's vocabulary is not the model's.</exception>
    /// <exception cref="InferenceException">llama.cpp cannot create the context (e.g. out of memory).</exception>
    public InferenceEngine(LlamaModel model, EngineOptions? options = null, SpeculativeOptions? speculative = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new EngineOptions();
        options.Validate();
        if (speculative is not null)
        {
            speculative.Validate();
            DraftVocabulary.EnsureCompatible(model, speculative.DraftModel);
        }

        _model = model;
        Options = options;

        var parameters = ContextParameters.For(options);
        LlamaLibrary.TakeLastError();
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new InferenceException($"llama.cpp could not create a context of {options.Sequences} × {options.ContextSize} tokens: {LlamaLibrary.TakeLastError() ?? "it gave no reason"}");

        // llama.cpp may round the context up and cap the batch at it: use what it allocated.
        ContextSize = _context.SequenceContextSize;
        _batch = SafeLlamaBatchHandle.Create(_context.BatchSize);
        _threads = new DecodeThreads(_context, options, model.ParameterCount);
        _slots = new SequenceSlots(options.Sequences);
        var layout = new SequenceLayout(model.Fingerprint, options.Sequences, ContextSize, (int)parameters.type_k, (int)parameters.type_v);
        var pinned = model.GpuLayers != 0 ? PinnedHostMemory.ForFirstGpu() : null;
        _saved = new SavedSequences(_context, layout, options, pinned);
        _admission = new AdmissionQueue(_slots, _saved, _context, options.MaxQueuedRequests);
        var output = new TokenOutput(model, _context, _slots, ContextSize);
        _step = new DecodeStep(_context, _batch, _slots, output);
        if (speculative is not null)
        {
            try
            {
                _speculative = new SpeculativeStep(speculative, new DraftContext(speculative.DraftModel, options, ContextSize), _context, _batch, _slots, output, ContextSize);
            }
            catch
            {
                _saved.Dispose();
                _batch.Dispose();
                _context.Dispose();
                throw;
            }
        }

        new Thread(RunLoop) { IsBackground = true, Name = $"decode {Path.GetFileName(model.Path)}" }.Start();
    }

    public EngineOptions Options { get; }

    /// <summary>Tokens each sequence holds (the requested size, possibly rounded up by llama.cpp).</summary>
    public int ContextSize { get; }

    public LlamaModel Model => _model;

    /// <summary>
    /// Threads the decode loop computes with now: <see cref="EngineOptions.Threads"/> when set,
    /// else as many as other processes leave cores free (one for a tiny model).
    /// </summary>
    public int ComputeThreads => _threads.Current;

    /// <summary>What the engine is doing now.</summary>
    public EngineStatus Status
    {
        get
        {
            var queued = _admission.Count;
            var (inMemory, memoryBytes, onDisk, diskBytes) = _saved.Usage;
            return new EngineStatus(_slots.Count, _slots.Active, queued, inMemory, memoryBytes, onDisk, diskBytes);
        }
    }

    /// <summary>Tokenizes <paramref name="prompt"/> (with the model's BOS, special tokens parsed) and generates from it.</summary>
    public IAsyncEnumerable<GenerationUpdate> GenerateAsync(string prompt, GenerationOptions options, CancellationToken cancellationToken = default) =>
        GenerateAsync(new GenerationRequest(_model.Tokenize(prompt, addSpecial: true, parseSpecial: true), options), cancellationToken);

    /// <summary>Generates from prompt tokens.</summary>
    public IAsyncEnumerable<GenerationUpdate> GenerateAsync(IReadOnlyList<int> promptTokens, GenerationOptions options, CancellationToken cancellationToken = default) =>
        GenerateAsync(new GenerationRequest(promptTokens, options), cancellationToken);

    /// <summary>
    /// Queues a request and streams its text as it is decoded. Cancelling (or breaking out of the
    /// loop) stops it within one decode step and frees its sequence for the next request.
    /// </summary>
    /// <exception cref="InvalidOptionException">The prompt is empty, an option is out of range, or the grammar does not parse.</exception>
    /// <exception cref="PromptTooLongException">The prompt leaves no room in a sequence's context.</exception>
    /// <exception cref="EngineBusyException">Every sequence is busy and the queue is full.</exception>
    /// <exception cref="InferenceException">llama.cpp failed to decode.</exception>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Validate();
        if (request.PromptTokens.Count == 0)
        {
            throw new InvalidOptionException("prompt", "the prompt is empty");
        }

        if (request.PromptTokens.Count >= ContextSize)
        {
            throw new PromptTooLongException(request.PromptTokens.Count, ContextSize);
        }

        ObjectDisposedException.ThrowIf(_stopping, this);
        if (request.CacheKey is { } key)
        {
            // A conversation evicted to disk comes back into RAM before its request queues, so
            // the decode loop never waits on the file.
            await _saved.PrefetchAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SamplerChain.Create(_model, request.Options.Sampling, request.Options.Grammar);
        var active = new ActiveRequest(request, sampler, new TokenTextDecoder(_model), stop.Token);
        try
        {
            _admission.Enqueue(active);
        }
        catch (EngineBusyException)
        {
            active.Dispose();
            throw;
        }

        _wake.Release();
        // A child of whatever span is current when the request queues (the grain call's); it
        // covers queueing, prefill and decode.
        using var activity = EngineTelemetry.Source.StartActivity("llama.generate");
        activity?.SetTag("llama.prompt_tokens", request.PromptTokens.Count);
        try
        {
            await foreach (var update in active.Updates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // Text decoded after the caller cancelled is not theirs any more.
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }
        }
        finally
        {
            // Reached on completion, on a consumer that stopped early, and on errors alike: wait
            // until the loop has let go of the request so its sequence is free when we return.
            await stop.CancelAsync().ConfigureAwait(false);
            _wake.Release();
            await active.Released.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the KV state of every named conversation (live in a sequence or saved) to
    /// <paramref name="directory"/>, one file each, so it survives this engine: call it before
    /// unloading the model, and <see cref="LoadSequences"/> after loading it again.
    /// </summary>
    /// <returns>The cache keys written.</returns>
    public Task<IReadOnlyList<string>> SaveSequencesAsync(string directory) =>
        RunOnLoopAsync(() => _saved.WriteAll(directory, _slots.All));

    /// <summary>
    /// Registers the saved sequences in <paramref name="directory"/> (written by
    /// <see cref="SaveSequencesAsync"/>); each is restored when its conversation's next request
    /// comes. Files are read, never changed or deleted.
    /// </summary>
    /// <returns>The keys registered, and for each file that cannot be restored here, why.</returns>
    public (IReadOnlyList<string> Loaded, IReadOnlyList<string> Rejected) LoadSequences(string directory)
    {
        var loaded = new List<string>();
        var rejected = new List<string>();
        if (!Directory.Exists(directory))
        {
            return (loaded, rejected);
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.seq"))
        {
            try
            {
                loaded.Add(_saved.Import(file));
            }
            catch (SequenceStateException exception)
            {
                rejected.Add(exception.Message);
            }
        }

        return (loaded, rejected);
    }

    /// <summary>Where <see cref="SaveSequencesAsync"/> writes the state of <paramref name="key"/> in <paramref name="directory"/>.</summary>
    public static string SavedSequencePath(string directory, string key) => Path.Combine(directory, SequenceStateFile.FileNameFor(key));

    /// <summary>Registers one saved-sequence file; its key is the one it was saved with.</summary>
    /// <exception cref="SequenceStateException">The file is unreadable or was saved from another model or KV layout.</exception>
    public string LoadSequence(string path) => _saved.Import(path);

    /// <summary>Drops everything kept for a conversation: its KV cells and any saved state.</summary>
    public Task ForgetSequenceAsync(string key) => RunOnLoopAsync(() =>
    {
        _saved.Forget(key, _slots.All);
        return true;
    });

    /// <summary>Waits until evicted sequences queued for disk are written.</summary>
    public Task FlushSavedSequencesAsync() => _saved.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping = true;
        _wake.Release();
        await _stopped.Task.ConfigureAwait(false);
        _saved.Dispose();
        _speculative?.Dispose();
        _batch.Dispose();
        _context.Dispose();
        _threads.Dispose();
        _wake.Dispose();
    }

    private Task<T> RunOnLoopAsync<T>(Func<T> work)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Enqueue(() =>
        {
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception exception)
            {
                completion.TrySetException(exception);
            }
        });
        _wake.Release();
        return completion.Task;
    }

    /// <summary>The decode loop thread: commands, then admissions, then a step, until disposed.</summary>
    private void RunLoop()
    {
        try
        {
            while (true)
            {
                while (_commands.TryDequeue(out var command))
                {
                    command();
                }

                if (_stopping)
                {
                    break;
                }

                _admission.Admit();
                if (_slots.Active == 0)
                {
                    _wake.Wait();
                    continue;
                }

                _threads.Adjust();
                // Without a draft the plain step runs as fast as ever: one null check.
                if (_speculative?.TryRun() == true)
                {
                    continue;
                }

                _step.Run();
            }
        }
        finally
        {
            var disposed = new ObjectDisposedException(nameof(InferenceEngine), "the model was unloaded");
            foreach (var slot in _slots.All.Where(slot => !slot.IsFree))
            {
                _slots.Fail(slot, disposed);
            }

            _admission.AbandonAll(disposed);
            while (_commands.TryDequeue(out var command))
            {
                command();
            }

            _stopped.TrySetResult();
        }
    }
}
