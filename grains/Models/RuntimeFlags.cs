using System.Globalization;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Grains.Models;

/// <summary>
/// The llama.cpp-style runtime flags a model may be configured with, mapped onto engine
/// settings. Only a fixed list is allowed, and no value may name a path: flags come from API
/// callers, and llama-server flags such as <c>--model</c> or <c>--log-file</c> would reach the
/// file system. Thread-safe.
/// </summary>
public sealed record RuntimeFlags
{
    private static readonly string[] Allowed =
    [
        "--temp", "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--threads", "--threads-batch",
        "--batch-size", "--mlock", "--no-mmap", "--n-gpu-layers", "--main-gpu", "--split-mode",
        "--rope-scaling", "--rope-freq-base", "--rope-freq-scale", "--parallel", "--reasoning-budget",
        "--model-draft", "--draft-max", "--draft-p-min", "--cache-ram", "--repack", "--no-repack",
    ];

    private static readonly string[] Switches = ["--mlock", "--no-mmap", "--repack", "--no-repack"];

    public SamplingOptions Sampling { get; init; } = new();

    public int? Threads { get; init; }

    public int? BatchThreads { get; init; }

    public int? BatchSize { get; init; }

    public bool Mlock { get; init; }

    public bool NoMmap { get; init; }

    /// <summary>
    /// llama-server's <c>--repack</c> / <c>--no-repack</c> (the last one given decides): whether
    /// llama.cpp repacks weights into CPU-specific layouts. Default false, the engine's default,
    /// which keeps a greedy request's output the same alone and in a batch; llama-server repacks
    /// by default, and its repacked kernels are faster (see <see cref="ModelLoadOptions.RepackWeights"/>).
    /// </summary>
    public bool Repack { get; init; }

    public int? GpuLayers { get; init; }

    public int MainGpu { get; init; }

    public string? SplitMode { get; init; }

    public string? RopeScaling { get; init; }

    public float? RopeFreqBase { get; init; }

    public float? RopeFreqScale { get; init; }

    public int? Parallel { get; init; }

    /// <summary>
    /// llama-server's <c>--reasoning-budget</c>: thinking tokens a reasoning model may spend before its
    /// answer; -1 (the default) no limit, 0 no thinking.
    /// </summary>
    public int ReasoningBudget { get; init; } = -1;

    /// <summary>
    /// The draft model for speculative decoding (<c>--model-draft</c>): a model reference resolved in
    /// the node's store, never a path (llama-server takes a path here; a caller may not).
    /// </summary>
    public string? DraftModel { get; init; }

    /// <summary>Tokens the draft proposes per step (<c>--draft-max</c>, DMR's <c>--speculative-num-tokens</c>).</summary>
    public int? DraftTokens { get; init; }

    /// <summary>
    /// The acceptance rate below which a request stops drafting (<c>--draft-p-min</c>, which DMR's
    /// <c>--speculative-min-acceptance-rate</c> maps to). llama-server reads it as the draft's minimum
    /// confidence per proposal; our draft proposes greedily and this bounds the rate per request instead.
    /// </summary>
    public double? DraftMinAcceptanceRate { get; init; }

    /// <summary>
    /// llama-server's <c>--cache-ram</c>: MiB of RAM for the KV state of conversations that lost
    /// their sequence to another request (beyond it the least recently used go to disk); -1 no
    /// limit, 0 none in RAM. Unset: the engine's default (a tenth of the machine's memory, at least 1 GiB).
    /// </summary>
    public long? CacheRamMiB { get; init; }

    /// <summary>The flags every caller may use.</summary>
    public static IReadOnlyList<string> AllowedFlags => Allowed;

    /// <summary>The request field that carries the flags, named in every refusal.</summary>
    private const string Field = "runtime-flags";

    // Upper bounds keep a configured model loadable: the engine refuses more than 256 sequences,
    // and a thread count or batch in the millions would fail (or exhaust memory) at load time,
    // long after the configure request that set it was answered 200.
    private const int MaxParallel = 256;

    // 1 PiB: beyond any machine; the bound keeps MiB × 2^20 within a long.
    private const int MaxCacheRamMiB = 1 << 30;

    private const int MaxThreads = 1024;

    private const int MaxBatchSize = 1 << 16;

    /// <summary>Parses flags such as <c>["--temp", "0.2", "--parallel=8"]</c>.</summary>
    /// <exception cref="InvalidRequestException">A flag is not allowed, lacks its value, has a bad value, or a value holds a path.</exception>
    public static RuntimeFlags Parse(IReadOnlyList<string> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var result = new RuntimeFlags();
        for (var i = 0; i < flags.Count; i++)
        {
            var (flag, value) = Split(flags[i]);
            if (!Allowed.Contains(flag))
            {
                throw new InvalidRequestException($"runtime flag {flag} is not allowed; allowed: {string.Join(' ', Allowed)}", Field);
            }

            if (Switches.Contains(flag))
            {
                if (value is not null)
                {
                    throw new InvalidRequestException($"runtime flag {flag} takes no value", Field);
                }

                result = flag switch
                {
                    "--mlock" => result with { Mlock = true },
                    "--no-mmap" => result with { NoMmap = true },
                    _ => result with { Repack = flag == "--repack" },
                };
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= flags.Count)
                {
                    throw new InvalidRequestException($"runtime flag {flag} needs a value", Field);
                }

                value = flags[++i];
            }

            // A model reference has slashes (ai/smollm2); a path starts like one or climbs.
            var path = flag == "--model-draft"
                ? value.StartsWith('/') || value.StartsWith('.') || value.Contains("..", StringComparison.Ordinal)
                : value.Contains('/', StringComparison.Ordinal);
            if (path || value.Contains('\\', StringComparison.Ordinal) || value.StartsWith('~'))
            {
                throw new InvalidRequestException($"runtime flag {flag}: values may not hold paths ('{value}')", Field);
            }

            result = Apply(result, flag, value);
        }

        return result;
    }

    /// <summary>Engine settings for a model with this configuration.</summary>
    public EngineOptions ToEngineOptions(int contextSize)
    {
        var options = new EngineOptions
        {
            ContextSize = contextSize,
            Sequences = Parallel ?? 4,
            BatchSize = BatchSize ?? 512,
            Threads = Threads,
            BatchThreads = BatchThreads,
            RopeFreqBase = RopeFreqBase,
            RopeFreqScale = RopeFreqScale,
            RopeScaling = RopeScaling,
        };
        return CacheRamMiB is { } mib ? options with { SavedSequenceMemoryBytes = mib < 0 ? long.MaxValue : mib << 20 } : options;
    }

    /// <summary>Speculative decoding with <paramref name="draft"/>, the loaded <see cref="DraftModel"/>.</summary>
    public SpeculativeOptions ToSpeculativeOptions(LlamaModel draft) => new(draft)
    {
        DraftTokens = DraftTokens ?? 16,
        MinAcceptanceRate = DraftMinAcceptanceRate ?? 0,
    };

    /// <summary>Load settings for a model with this configuration.</summary>
    public ModelLoadOptions ToLoadOptions(string? chatTemplate) => new()
    {
        GpuLayers = GpuLayers,
        MainGpu = MainGpu,
        UseMlock = Mlock,
        UseMmap = !NoMmap,
        RepackWeights = Repack,
        ChatTemplate = chatTemplate,
    };

    private static (string Flag, string? Value) Split(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (argument, null) : (argument[..equals], argument[(equals + 1)..]);
    }

    private static RuntimeFlags Apply(RuntimeFlags flags, string flag, string value) => flag switch
    {
        "--temp" => flags with { Sampling = flags.Sampling with { Temperature = Float(flag, value) } },
        "--top-k" => flags with { Sampling = flags.Sampling with { TopK = Int(flag, value) } },
        "--top-p" => flags with { Sampling = flags.Sampling with { TopP = Float(flag, value) } },
        "--min-p" => flags with { Sampling = flags.Sampling with { MinP = Float(flag, value) } },
        "--repeat-penalty" => flags with { Sampling = flags.Sampling with { RepeatPenalty = Float(flag, value) } },
        "--threads" => flags with { Threads = Between(flag, value, 1, MaxThreads) },
        "--threads-batch" => flags with { BatchThreads = Between(flag, value, 1, MaxThreads) },
        "--batch-size" => flags with { BatchSize = Between(flag, value, 1, MaxBatchSize) },
        "--n-gpu-layers" => flags with { GpuLayers = value is "all" or "auto" ? -1 : Int(flag, value) },
        "--main-gpu" => flags with { MainGpu = Int(flag, value) },
        "--split-mode" => flags with { SplitMode = OneOf(flag, value, "none", "layer", "row") },
        "--rope-scaling" => flags with { RopeScaling = OneOf(flag, value, "none", "linear", "yarn") },
        "--rope-freq-base" => flags with { RopeFreqBase = PositiveFloat(flag, value) },
        "--rope-freq-scale" => flags with { RopeFreqScale = PositiveFloat(flag, value) },
        "--parallel" => flags with { Parallel = Between(flag, value, 1, MaxParallel) },
        "--reasoning-budget" => flags with { ReasoningBudget = Int(flag, value) is >= -1 and var budget ? budget : throw new InvalidRequestException($"runtime flag {flag} needs -1 (no limit), 0 (no thinking) or a number of tokens, not '{value}'", Field) },
        "--model-draft" => flags with { DraftModel = value },
        "--cache-ram" => flags with { CacheRamMiB = Between(flag, value, -1, MaxCacheRamMiB) },
        "--draft-max" => flags with { DraftTokens = Between(flag, value, 1, 64) },
        "--draft-p-min" => flags with { DraftMinAcceptanceRate = Float(flag, value) is >= 0 and < 1 and var rate ? rate : throw new InvalidRequestException($"runtime flag {flag} needs a rate in [0, 1), not '{value}'", Field) },
        _ => throw new InvalidRequestException($"runtime flag {flag} is not allowed", Field),
    };

    private static int Int(string flag, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number
            : throw new InvalidRequestException($"runtime flag {flag} needs a whole number, not '{value}'", Field);

    private static int Between(string flag, string value, int minimum, int maximum) =>
        Int(flag, value) is var number && number >= minimum && number <= maximum ? number
            : throw new InvalidRequestException($"runtime flag {flag} needs a whole number between {minimum} and {maximum}, not '{value}'", Field);

    private static float PositiveFloat(string flag, string value) =>
        Float(flag, value) is > 0 and var number ? number : throw new InvalidRequestException($"runtime flag {flag} needs a number > 0, not '{value}'", Field);

    private static float Float(string flag, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && float.IsFinite(number) ? number
            : throw new InvalidRequestException($"runtime flag {flag} needs a number, not '{value}'", Field);

    private static string OneOf(string flag, string value, params string[] choices) =>
        choices.Contains(value) ? value : throw new InvalidRequestException($"runtime flag {flag} must be one of {string.Join(", ", choices)}, not '{value}'", Field);
}
