using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Diagnostics;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// A GGUF model loaded by llama.cpp: its weights, vocabulary and chat template. Tokenizing and
/// templating are thread-safe; contexts for generation are created by <see cref="InferenceEngine"/>.
/// Dispose frees the weights once no context uses them any more.
/// </summary>
public sealed partial class LlamaModel : IDisposable
{
    private readonly ILogger _logger;

    private LlamaModel(IReadOnlyList<string> paths, GgufFile gguf, SafeLlamaModelHandle handle, LlamaRuntime runtime, int gpuLayers, string? chatTemplate, ILogger logger)
    {
        _logger = logger;
        Paths = paths;
        Gguf = gguf;
        Handle = handle;
        Runtime = runtime;
        GpuLayers = gpuLayers;
        ChatTemplate = chatTemplate ?? handle.ChatTemplate;
        Description = handle.Description;
        _fingerprint = new(ComputeFingerprint);
    }

    private readonly Lazy<string> _fingerprint;

    /// <summary>The file the model was loaded from (its first shard when it has several).</summary>
    public string Path => Paths[0];

    /// <summary>The files the model was loaded from, in shard order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The file's GGUF metadata and tensor table.</summary>
    public GgufFile Gguf { get; }

    /// <summary>The llama.cpp build the model runs on.</summary>
    public LlamaRuntime Runtime { get; }

    /// <summary>Layers offloaded to the GPU (0 on CPU; -1 means all).</summary>
    public int GpuLayers { get; }

    /// <summary>The chat template: <see cref="ModelLoadOptions.ChatTemplate"/>, else the model's <c>tokenizer.chat_template</c>, else null.</summary>
    public string? ChatTemplate { get; }

    /// <summary>llama.cpp's one-line description, e.g. <c>llama 360M Q4_K - Medium</c>.</summary>
    public string Description { get; }

    public int TrainingContextLength => Handle.TrainingContextLength;

    public int EmbeddingLength => Handle.EmbeddingLength;

    public int LayerCount => Handle.LayerCount;

    public int VocabularySize => Handle.VocabularySize;

    /// <summary>Bytes of all weight tensors.</summary>
    public long SizeBytes => Handle.SizeBytes;

    public long ParameterCount => Handle.ParameterCount;

    /// <summary>
    /// Identifies the weights (hex SHA-256 of the tensor table and the first MiB of tensor data),
    /// so saved KV states are never restored into another model. Computed once, on first use.
    /// </summary>
    public string Fingerprint => _fingerprint.Value;

    internal SafeLlamaModelHandle Handle { get; }

    /// <summary>Loads a GGUF model; blocks while the weights are read (run it off request threads).</summary>
    /// <exception cref="ModelLoadException">The file is missing, not GGUF, or llama.cpp cannot load it.</exception>
    /// <exception cref="LlamaLibraryException">llama.cpp itself is not installed or fails to load.</exception>
    public static LlamaModel Load(string path, ModelLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load([path], options);
    }

    /// <summary>Loads a GGUF model split over several files, given in shard order.</summary>
    /// <exception cref="ModelLoadException">A file is missing, not GGUF, or llama.cpp cannot load them.</exception>
    /// <exception cref="LlamaLibraryException">llama.cpp itself is not installed or fails to load.</exception>
    public static LlamaModel Load(IReadOnlyList<string> paths, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("a model needs at least one file", nameof(paths));
        }

        options ??= new ModelLoadOptions();
        if (paths.FirstOrDefault(candidate => !File.Exists(candidate)) is { } missing)
        {
            throw new ModelLoadException($"model file not found: {missing}");
        }

        var path = paths[0];

        // Read the header ourselves first: llama.cpp's own checks end in terse log lines, and a
        // file that is not GGUF at all deserves a message that says so.
        GgufFile gguf;
        try
        {
            gguf = GgufReader.Read(path);
        }
        catch (GgufFormatException exception)
        {
            throw new ModelLoadException($"{path} is not a usable GGUF model: {exception.Message}", exception);
        }

        var runtime = LlamaLibrary.Load();
        var gpuLayers = options.GpuLayers ?? (runtime.HasGpu ? -1 : 0);
        var parameters = LlamaApi.llama_model_default_params();
        parameters.n_gpu_layers = gpuLayers;
        parameters.main_gpu = options.MainGpu;
        parameters.vocab_only = options.VocabularyOnly;
        parameters.use_extra_bufts = options.RepackWeights;
        parameters.load_mode = (options.UseMmap, options.UseMlock) switch
        {
            (true, true) => LlamaLoadMode.MmapMlock,
            (true, false) => LlamaLoadMode.Mmap,
            (false, true) => LlamaLoadMode.Mlock,
            (false, false) => LlamaLoadMode.None,
        };

        using var activity = EngineTelemetry.Source.StartActivity("llama.load");
        activity?.SetTag("llama.model.path", path);
        LogLoading(options.Logger, path, gpuLayers, runtime.Variant);
        var started = Stopwatch.GetTimestamp();
        LlamaLibrary.TakeLastError();
        var handle = SafeLlamaModelHandle.Load(paths, parameters);
        if (handle is null)
        {
            var reason = LlamaLibrary.TakeLastError() ?? "it gave no reason";
            LogLoadFailed(options.Logger, path, reason);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            throw new ModelLoadException($"llama.cpp could not load {path}: {reason}");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        LogLoaded(options.Logger, path, handle.SizeBytes, elapsed.TotalMilliseconds);
        return new LlamaModel([.. paths], gguf, handle, runtime, gpuLayers, options.ChatTemplate, options.Logger);
    }

    /// <summary>Converts text to tokens.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecial">Add the BOS (and EOS) tokens the model asks for. Default true.</param>
    /// <param name="parseSpecial">Read special-token text (e.g. <c>&lt;|im_start|&gt;</c>) as those tokens. Default false.</param>
    public int[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new int[bytes.Length + 8];
        var count = Handle.Tokenize(bytes, tokens, addSpecial, parseSpecial);
        if (count < 0)
        {
            tokens = new int[-count];
            count = Handle.Tokenize(bytes, tokens, addSpecial, parseSpecial);
        }

        return count == int.MinValue
            ? throw new InvalidOptionException(nameof(text), "the text is too long to tokenize")
            : tokens.AsSpan(0, count).ToArray();
    }

    /// <summary>Converts tokens back to text; special tokens are rendered only when asked.</summary>
    public string Detokenize(IEnumerable<int> tokens, bool renderSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var decoder = new TokenTextDecoder(this, renderSpecial);
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            text.Append(decoder.Append(token));
        }

        return text.Append(decoder.Flush()).ToString();
    }

    /// <summary>True for tokens that end a generation (EOS, end-of-turn).</summary>
    public bool IsEndOfGeneration(int token) => Handle.IsEndOfGeneration(token);

    /// <summary>
    /// Formats a conversation with the model's chat template, or with <see cref="Chat.ChatTemplate.Fallback"/>
    /// when the model has none.
    /// </summary>
    /// <exception cref="ChatTemplateException">The model's template is not one llama.cpp can apply.</exception>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addAssistantPrompt = true) =>
        Chat.ChatTemplate.Apply(ChatTemplate ?? Chat.ChatTemplate.Fallback, messages, addAssistantPrompt);

    /// <summary>A token's bytes, special tokens included (for log-probabilities).</summary>
    internal byte[] TokenBytes(int token)
    {
        var buffer = new byte[32];
        var length = TokenToPiece(token, ref buffer, renderSpecial: true);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Writes a token's bytes into <paramref name="buffer"/> (growing it if needed); returns the length.</summary>
    internal int TokenToPiece(int token, ref byte[] buffer, bool renderSpecial)
    {
        var length = Handle.TokenToPiece(token, buffer, renderSpecial);
        if (length < 0)
        {
            buffer = new byte[-length];
            length = Handle.TokenToPiece(token, buffer, renderSpecial);
        }

        return length;
    }

    public void Dispose()
    {
        if (!Handle.IsClosed)
        {
            // The weights themselves go when the last context using them is gone too.
            LogReleased(_logger, Path);
        }

        Handle.Dispose();
    }

    private string ComputeFingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var tensor in Gguf.Tensors)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{tensor.Name}:{tensor.Type}:{string.Join('x', tensor.Dimensions)}:{tensor.Offset};"));
        }

        using var file = File.OpenRead(Path);
        file.Seek(Gguf.DataOffset, SeekOrigin.Begin);
        var sample = new byte[(int)Math.Min(1 << 20, Math.Max(0, file.Length - Gguf.DataOffset))];
        file.ReadExactly(sample);
        hash.AppendData(sample);
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
