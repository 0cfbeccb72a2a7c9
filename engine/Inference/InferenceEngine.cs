using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// Generates text with one model in one llama.cpp context. Requests are served one at a time,
/// each decoded on a thread of its own so callers never block on native work; text streams out
/// as it is produced. Thread-safe. Disposing waits for the running request to stop.
/// </summary>
public sealed class InferenceEngine : IAsyncDisposable
{
    private const int Sequence = 0;

    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly SafeLlamaBatchHandle _batch;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InferenceException">llama.cpp cannot create the context (e.g. out of memory).</exception>
    public InferenceEngine(LlamaModel model, ContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ContextOptions();
        options.Validate();
        _model = model;

        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = (uint)options.ContextSize;
        parameters.n_batch = (uint)options.BatchSize;
        parameters.n_ubatch = (uint)options.BatchSize;
        parameters.n_seq_max = 1;
        parameters.n_threads = options.ResolvedThreads;
        parameters.n_threads_batch = options.ResolvedBatchThreads;
        parameters.flash_attn_type = options.FlashAttention switch
        {
            true => LlamaFlashAttnType.Enabled,
            false => LlamaFlashAttnType.Disabled,
            null => LlamaFlashAttnType.Auto,
        };
        parameters.no_perf = true;

        LlamaLibrary.TakeLastError();
        _context = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new InferenceException($"llama.cpp could not create a context of {options.ContextSize} tokens: {LlamaLibrary.TakeLastError() ?? "it gave no reason"}");
        // llama.cpp may round the context up and cap the batch at it: size everything by what it allocated.
        ContextSize = _context.ContextSize;
        _batch = SafeLlamaBatchHandle.Create(_context.BatchSize);
        Options = options;
    }

    public ContextOptions Options { get; }

    /// <summary>The context size llama.cpp actually allocated (it may round the requested one up).</summary>
    public int ContextSize { get; }

    public LlamaModel Model => _model;

    /// <summary>Tokenizes <paramref name="prompt"/> (with the model's BOS) and generates from it.</summary>
    public IAsyncEnumerable<GenerationUpdate> GenerateAsync(string prompt, GenerationOptions options, CancellationToken cancellationToken = default) =>
        GenerateAsync(_model.Tokenize(prompt, addSpecial: true, parseSpecial: true), options, cancellationToken);

    /// <summary>
    /// Generates from prompt tokens, streaming text as it is decoded. Cancelling (or breaking
    /// out of the loop) stops generation within one decode step and frees the sequence.
    /// </summary>
    /// <exception cref="ArgumentException">The prompt is empty or an option is out of range.</exception>
    /// <exception cref="PromptTooLongException">The prompt leaves no room in the context.</exception>
    /// <exception cref="InferenceException">llama.cpp failed to decode.</exception>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(
        IReadOnlyList<int> promptTokens,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptTokens);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (promptTokens.Count == 0)
        {
            throw new ArgumentException("the prompt is empty", nameof(promptTokens));
        }

        if (promptTokens.Count >= ContextSize)
        {
            throw new PromptTooLongException(promptTokens.Count, ContextSize);
        }

        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var updates = Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var decoding = Task.Factory.StartNew(
            () => Decode(promptTokens, options, updates.Writer, stop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await foreach (var update in updates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // Text decoded after the caller cancelled is not theirs any more.
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }
        }
        finally
        {
            // Reached on completion, on a consumer that stopped early, and on errors alike: the
            // decode thread must be gone before the next request may touch the context.
            await stop.CancelAsync().ConfigureAwait(false);
            await decoding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await _turn.WaitAsync().ConfigureAwait(false);
        _batch.Dispose();
        _context.Dispose();
        _turn.Dispose();
        _disposing.Dispose();
    }

    private void Decode(IReadOnlyList<int> prompt, GenerationOptions options, ChannelWriter<GenerationUpdate> updates, CancellationToken cancellationToken)
    {
        try
        {
            Generate(prompt, options, updates, cancellationToken);
            updates.TryComplete();
        }
        catch (Exception exception)
        {
            updates.TryComplete(exception);
        }
        finally
        {
            _context.RemoveSequence(Sequence);
        }
    }

    private void Generate(IReadOnlyList<int> prompt, GenerationOptions options, ChannelWriter<GenerationUpdate> updates, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _context.RemoveSequence(Sequence);
        var logitsIndex = Prefill(prompt, cancellationToken);

        using var sampler = SamplerChain.Create(options.Sampling);
        var text = new TokenTextDecoder(_model);
        var stops = new StopStringMatcher(options.Stop);
        var position = prompt.Count;
        var generated = 0;
        var promptDuration = TimeSpan.Zero;
        FinishReason reason;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var token = sampler.Sample(_context, logitsIndex);
            if (generated == 0)
            {
                promptDuration = clock.Elapsed;
            }

            if (_model.IsEndOfGeneration(token))
            {
                reason = FinishReason.Stop;
                break;
            }

            generated++;
            var piece = stops.Append(text.Append(token));
            if (piece.Length > 0)
            {
                updates.TryWrite(new GenerationUpdate(piece));
            }

            if (stops.Stopped)
            {
                reason = FinishReason.Stop;
                break;
            }

            // The sampled token needs no KV cell until it is decoded, so prompt and answer may fill the context exactly.
            if (generated >= options.MaxTokens || prompt.Count + generated >= ContextSize)
            {
                reason = FinishReason.Length;
                break;
            }

            _batch.Clear();
            _batch.Add(token, position++, Sequence, wantLogits: true);
            Check(_context.Decode(_batch.Native), "decoding a token");
            logitsIndex = 0;
        }

        var rest = stops.Append(text.Flush()) + stops.Flush();
        var result = new GenerationResult(reason, prompt.Count, 0, generated, promptDuration, clock.Elapsed - promptDuration);
        updates.TryWrite(new GenerationUpdate(rest, result));
    }

    /// <summary>Decodes the prompt in chunks; returns the batch index of the last token's logits.</summary>
    private int Prefill(IReadOnlyList<int> prompt, CancellationToken cancellationToken)
    {
        for (var start = 0; start < prompt.Count; start += _batch.Capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + _batch.Capacity, prompt.Count);
            _batch.Clear();
            for (var i = start; i < end; i++)
            {
                _batch.Add(prompt[i], i, Sequence, wantLogits: i == prompt.Count - 1);
            }

            Check(_context.Decode(_batch.Native), "evaluating the prompt");
        }

        return _batch.Count - 1;
    }

    private static void Check(int status, string step)
    {
        if (status != 0)
        {
            var reason = status switch
            {
                1 => "no room left in the KV cache",
                2 => "aborted",
                -1 => "invalid batch",
                _ => LlamaLibrary.TakeLastError() ?? $"status {status}",
            };
            throw new InferenceException($"llama.cpp failed {step}: {reason}");
        }
    }
}
