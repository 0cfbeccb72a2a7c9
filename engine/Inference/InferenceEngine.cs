using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using ModelRunner.Engine.Diagnostics;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Native;
using ModelRunner.Engine.Sequences;

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
/// </summary>
public sealed class InferenceEngine : IAsyncDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;
    private readonly Slot[] _slots;
    private readonly SequenceLayout _layout;
    private readonly SequenceCache _saved;
    private readonly Lock _queueGate = new();
    private readonly Queue<ActiveRequest> _queue = new();
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private int _activeRequests;
    private int _disposed;

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InferenceException">llama.cpp cannot create the context (e.g. out of memory).</exception>
    public InferenceEngine(LlamaModel model, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new EngineOptions();
        options.Validate();
        _model = model;
        Options = options;

        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = (uint)(options.ContextSize * options.Sequences);
        parameters.n_batch = (uint)options.BatchSize;
        parameters.n_ubatch = (uint)options.BatchSize;
        parameters.n_seq_max = (uint)options.Sequences;
        parameters.n_threads = options.ResolvedThreads;
        parameters.n_threads_batch = options.ResolvedBatchThreads;
        parameters.flash_attn_type = options.FlashAttention switch
        {
            true => LlamaFlashAttnType.Enabled,
            false => LlamaFlashAttnType.Disabled,
            null => LlamaFlashAttnType.Auto,
        };
        parameters.rope_freq_base = options.RopeFreqBase ?? 0;
        parameters.rope_freq_scale = options.RopeFreqScale ?? 0;
        parameters.rope_scaling_type = options.RopeScaling switch
        {
            "none" => LlamaRopeScalingType.None,
            "linear" => LlamaRopeScalingType.Linear,
            "yarn" => LlamaRopeScalingType.Yarn,
            _ => LlamaRopeScalingType.Unspecified,
        };

        // A KV stream per sequence: a sequence's attention never sees another's cells, so its
        // output does not depend on what shares the batch, and a saved state restores into any
        // sequence of a context with the same layout.
        parameters.kv_unified = false;
        parameters.no_perf = true;

        LlamaLibrary.TakeLastError();
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new InferenceException($"llama.cpp could not create a context of {options.Sequences} × {options.ContextSize} tokens: {LlamaLibrary.TakeLastError() ?? "it gave no reason"}");

        // llama.cpp may round the context up and cap the batch at it: use what it allocated.
        ContextSize = _context.SequenceContextSize;
        _batch = SafeLlamaBatchHandle.Create(_context.BatchSize);
        _slots = [.. Enumerable.Range(0, options.Sequences).Select(id => new Slot(id))];
        _layout = new SequenceLayout(model.Fingerprint, options.Sequences, ContextSize, (int)parameters.type_k, (int)parameters.type_v);
        var pinned = model.GpuLayers != 0 ? PinnedHostMemory.ForFirstGpu() : null;
        _saved = new SequenceCache(_layout, options.SavedSequenceDirectory, options.SavedSequenceMemoryBytes, options.SavedSequenceDiskBytes, pinned);
        new Thread(RunLoop) { IsBackground = true, Name = $"decode {Path.GetFileName(model.Path)}" }.Start();
    }

    public EngineOptions Options { get; }

    /// <summary>Tokens each sequence holds (the requested size, possibly rounded up by llama.cpp).</summary>
    public int ContextSize { get; }

    public LlamaModel Model => _model;

    /// <summary>What the engine is doing now.</summary>
    public EngineStatus Status
    {
        get
        {
            int queued;
            lock (_queueGate)
            {
                queued = _queue.Count;
            }

            var (inMemory, memoryBytes, onDisk, diskBytes) = _saved.Usage;
            return new EngineStatus(_slots.Length, Volatile.Read(ref _activeRequests), queued, inMemory, memoryBytes, onDisk, diskBytes);
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
        lock (_queueGate)
        {
            if (Volatile.Read(ref _activeRequests) + _queue.Count >= _slots.Length + Options.MaxQueuedRequests)
            {
                active.Dispose();
                throw new EngineBusyException(_slots.Length, _queue.Count);
            }

            _queue.Enqueue(active);
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
    public Task<IReadOnlyList<string>> SaveSequencesAsync(string directory) => RunOnLoopAsync<IReadOnlyList<string>>(() =>
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var slot in _slots.Where(slot => slot.Key is not null && slot.Cached.Count > 0))
        {
            using var state = ReadState(slot);
            SequenceStateFile.Write(SavedSequencePath(directory, slot.Key!), _layout, slot.Key!, [.. slot.Cached], state, durable: true);
            written.Add(slot.Key!);
        }

        foreach (var key in _saved.Keys.Except(written))
        {
            if (_saved.Export(key, SavedSequencePath(directory, key)))
            {
                written.Add(key);
            }
        }

        return written;
    });

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
        foreach (var slot in _slots.Where(slot => slot.Key == key && slot.IsFree))
        {
            _context.RemoveSequence(slot.Id);
            slot.Cached.Clear();
            slot.Key = null;
        }

        _saved.Forget(key);
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
        _batch.Dispose();
        _context.Dispose();
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

                Admit();
                if (Volatile.Read(ref _activeRequests) == 0)
                {
                    _wake.Wait();
                    continue;
                }

                Step();
            }
        }
        finally
        {
            var disposed = new ObjectDisposedException(nameof(InferenceEngine), "the model was unloaded");
            foreach (var slot in _slots.Where(slot => !slot.IsFree))
            {
                Fail(slot, disposed);
            }

            lock (_queueGate)
            {
                while (_queue.TryDequeue(out var waiting))
                {
                    Abandon(waiting, disposed);
                }
            }

            while (_commands.TryDequeue(out var command))
            {
                command();
            }

            _stopped.TrySetResult();
        }
    }

    /// <summary>Gives waiting requests free sequences, first come first served.</summary>
    private void Admit()
    {
        while (true)
        {
            ActiveRequest? next;
            lock (_queueGate)
            {
                DropCancelledLocked();
                if (!_queue.TryPeek(out next) || !_slots.Any(slot => slot.IsFree))
                {
                    return;
                }

                _queue.Dequeue();
            }

            Start(ChooseSlot(next), next);
        }
    }

    private void DropCancelledLocked()
    {
        if (!_queue.Any(request => request.Cancellation.IsCancellationRequested))
        {
            return;
        }

        var waiting = _queue.ToList();
        _queue.Clear();
        foreach (var request in waiting)
        {
            if (request.Cancellation.IsCancellationRequested)
            {
                Abandon(request, new OperationCanceledException(request.Cancellation));
            }
            else
            {
                _queue.Enqueue(request);
            }
        }
    }

    /// <summary>
    /// The free sequence that saves the most work: the one holding this conversation, else the
    /// one sharing the longest prefix with the prompt, else an empty one, else the least
    /// recently used (anonymous content before a named conversation's).
    /// </summary>
    private Slot ChooseSlot(ActiveRequest request)
    {
        var free = _slots.Where(slot => slot.IsFree).ToList();
        var key = request.Request.CacheKey;
        if (key is not null && free.FirstOrDefault(slot => slot.Key == key) is { } own)
        {
            return own;
        }

        if (key is null || !_saved.Contains(key))
        {
            var (best, common) = free
                .Select(slot => (Slot: slot, Common: slot.CommonPrefix(request.Prompt)))
                .OrderByDescending(candidate => candidate.Common)
                .ThenBy(candidate => candidate.Slot.Key is null ? 0 : 1)
                .ThenBy(candidate => candidate.Slot.LastUsed)
                .First();
            if (common > 0)
            {
                return best;
            }
        }

        return free
            .OrderBy(slot => slot.Cached.Count == 0 ? 0 : 1)
            .ThenBy(slot => slot.Key is null ? 0 : 1)
            .ThenBy(slot => slot.LastUsed)
            .First();
    }

    private void Start(Slot slot, ActiveRequest request)
    {
        request.Admitted = Stopwatch.GetTimestamp();
        var key = request.Request.CacheKey;
        if (slot.Key is not null && slot.Key != key)
        {
            Save(slot);
        }

        if (key is not null)
        {
            // Two requests of one conversation at once: the newest owns the key.
            foreach (var other in _slots.Where(other => other != slot && other.Key == key))
            {
                other.Key = null;
            }

            if (slot.Key != key && _saved.TryTakeRestorable(key, out var tokens, out var state))
            {
                using (state)
                {
                    Restore(slot, tokens, state!);
                }
            }

            slot.Key = key;
        }

        // Keep the common prefix, but always evaluate the prompt's last token: its logits give the first answer token.
        var common = Math.Min(slot.CommonPrefix(request.Prompt), request.Prompt.Count - 1);
        if (common < slot.Cached.Count && !_context.RemoveSequence(slot.Id, common))
        {
            _context.RemoveSequence(slot.Id);
            common = 0;
        }

        slot.Cached.RemoveRange(common, slot.Cached.Count - common);
        request.PromptCursor = common;
        request.CachedPromptTokens = common;
        slot.Request = request;
        Interlocked.Increment(ref _activeRequests);
    }

    /// <summary>Saves a named conversation's KV state before its sequence is reused; the cells stay as anonymous content.</summary>
    private void Save(Slot slot)
    {
        if (slot.Cached.Count > 0)
        {
            _saved.Put(slot.Key!, [.. slot.Cached], ReadState(slot));
        }

        slot.Key = null;
    }

    private unsafe NativeBuffer ReadState(Slot slot)
    {
        var state = _saved.Buffers.Rent(_context.SequenceStateSize(slot.Id));
        state.Truncate(_context.GetSequenceState(slot.Id, state.Pointer, state.Length));
        return state;
    }

    private unsafe void Restore(Slot slot, int[] tokens, NativeBuffer state)
    {
        _context.RemoveSequence(slot.Id);
        slot.Cached.Clear();
        if (_context.SetSequenceState(slot.Id, state.Pointer, state.Length) == 0)
        {
            // Unusable state: the prompt is evaluated in full instead, which gives the same answer.
            _context.RemoveSequence(slot.Id);
            return;
        }

        slot.Cached.AddRange(tokens);
    }

    /// <summary>One decode step: every generating request's next token plus as much prompt as fits.</summary>
    private void Step()
    {
        foreach (var slot in _slots)
        {
            if (slot.Request is { Cancellation.IsCancellationRequested: true } cancelled)
            {
                Fail(slot, new OperationCanceledException(cancelled.Cancellation));
            }
        }

        _batch.Clear();
        var chunks = new List<(Slot Slot, int End)>();
        foreach (var slot in _slots)
        {
            if (slot.Request is { IsEvaluatingPrompt: false } generating)
            {
                generating.LogitsIndex = _batch.Add(generating.PendingToken, slot.Cached.Count, slot.Id, wantLogits: true);
            }
        }

        foreach (var slot in _slots.Where(slot => slot.Request is { IsEvaluatingPrompt: true }).OrderBy(slot => slot.Request!.Admitted))
        {
            var request = slot.Request!;
            var room = _batch.Capacity - _batch.Count;
            if (room == 0)
            {
                break;
            }

            var end = Math.Min(request.Prompt.Count, request.PromptCursor + room);
            request.LogitsIndex = -1;
            for (var i = request.PromptCursor; i < end; i++)
            {
                var last = i == request.Prompt.Count - 1;
                var index = _batch.Add(request.Prompt[i], i, slot.Id, wantLogits: last);
                if (last)
                {
                    request.LogitsIndex = index;
                }
            }

            chunks.Add((slot, end));
        }

        if (_batch.Count == 0)
        {
            return;
        }

        var status = _context.Decode(_batch.Native);
        if (status != 0)
        {
            var error = new InferenceException($"llama.cpp failed to decode a batch of {_batch.Count} tokens: {DecodeError(status)}");
            foreach (var slot in _slots.Where(slot => !slot.IsFree))
            {
                _context.RemoveSequence(slot.Id);
                slot.Cached.Clear();
                Fail(slot, error);
            }

            return;
        }

        foreach (var slot in _slots)
        {
            if (slot.Request is { IsEvaluatingPrompt: false } generating)
            {
                slot.Cached.Add(generating.PendingToken);
            }
        }

        foreach (var (slot, end) in chunks)
        {
            var request = slot.Request!;
            for (var i = request.PromptCursor; i < end; i++)
            {
                slot.Cached.Add(request.Prompt[i]);
            }

            request.PromptCursor = end;
        }

        foreach (var slot in _slots)
        {
            if (slot.Request is { LogitsIndex: >= 0 } request)
            {
                Sample(slot, request);
            }
        }
    }

    private void Sample(Slot slot, ActiveRequest request)
    {
        var token = request.Sampler.Sample(_context, request.LogitsIndex);
        if (request.Generated == 0)
        {
            request.FirstToken = Stopwatch.GetTimestamp();
        }

        if (_model.IsEndOfGeneration(token))
        {
            Finish(slot, FinishReason.Stop);
            return;
        }

        if (request.Options.TopLogprobs is { } top)
        {
            (request.Logprobs ??= []).Add(LogprobCalculator.Compute(_model, _context.GetLogits(request.LogitsIndex), token, top));
        }

        request.Generated++;
        request.UnsentTokens.Add(token);
        var text = request.Stops.Append(request.Text.Append(token));
        if (text.Length > 0)
        {
            request.Updates.Writer.TryWrite(new GenerationUpdate(text, TakeLogprobs(request)) { Tokens = TakeTokens(request) });
        }

        if (request.Stops.Stopped)
        {
            Finish(slot, FinishReason.Stop);
        }
        else if (request.Generated >= request.Options.MaxTokens || request.Prompt.Count + request.Generated >= ContextSize)
        {
            // The sampled token needs no KV cell until it is decoded, so prompt and answer may fill the context exactly.
            Finish(slot, FinishReason.Length);
        }
        else
        {
            request.PendingToken = token;
        }
    }

    private static int[] TakeTokens(ActiveRequest request)
    {
        var tokens = request.UnsentTokens.ToArray();
        request.UnsentTokens.Clear();
        return tokens;
    }

    private static List<TokenLogprob>? TakeLogprobs(ActiveRequest request)
    {
        var logprobs = request.Logprobs;
        request.Logprobs = null;
        return logprobs;
    }

    private void Finish(Slot slot, FinishReason reason)
    {
        var request = slot.Request!;
        var now = Stopwatch.GetTimestamp();
        var firstToken = request.FirstToken == 0 ? now : request.FirstToken;
        var rest = request.Stops.Append(request.Text.Flush()) + request.Stops.Flush();
        var result = new GenerationResult(
            reason,
            request.Prompt.Count,
            request.CachedPromptTokens,
            request.Generated,
            Stopwatch.GetElapsedTime(request.Admitted, firstToken),
            Stopwatch.GetElapsedTime(firstToken, now))
        {
            QueueDuration = Stopwatch.GetElapsedTime(request.Queued, request.Admitted),
            StopSequence = request.Stops.Matched,
        };
        request.Updates.Writer.TryWrite(new GenerationUpdate(rest, TakeLogprobs(request), result) { Tokens = TakeTokens(request) });
        request.Updates.Writer.TryComplete();
        Release(slot);
    }

    private void Fail(Slot slot, Exception exception)
    {
        slot.Request!.Updates.Writer.TryComplete(exception);
        Release(slot);
    }

    private void Release(Slot slot)
    {
        var request = slot.Request!;
        slot.Request = null;
        slot.LastUsed = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _activeRequests);
        request.Dispose();
        request.Released.TrySetResult();
    }

    private static void Abandon(ActiveRequest request, Exception exception)
    {
        request.Updates.Writer.TryComplete(exception);
        request.Dispose();
        request.Released.TrySetResult();
    }

    private static string DecodeError(int status) => status switch
    {
        1 => "no room left in the KV cache",
        2 => "aborted",
        -1 => "invalid batch",
        _ => LlamaLibrary.TakeLastError() ?? $"status {status}",
    };
}
